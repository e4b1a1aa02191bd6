package io.vigil.api.inspection;

/** Event Admin topics and event properties posted by the station. */
public final class InspectionEvents {
  /** Posted (asynchronously, in order) once per result. */
  public static final String RESULT_TOPIC = "io/vigil/inspection/RESULT";
  /** Event property: the {@link InspectionResult} itself. */
  public static final String RESULT = "result";
  /** Event property: the frame id (String), for filters. */
  public static final String FRAME_ID = "frame.id";
  /** Event property: the detector name (String), absent on errors. */
  public static final String DETECTOR = "detector";
  /** Event property: "OK", "NOK" or "ERROR", for filters such as {@code (decision=NOK)}. */
  public static final String DECISION = "decision";
  /** Event property: the raw image score (Double), absent on errors. */
  public static final String SCORE = "score";
  /**
   * Event property: the raw-score threshold the decision was taken at (Double), absent on errors:
   * the model's calibrated threshold or the station's override.
   */
  public static final String THRESHOLD = "threshold";

  private InspectionEvents() {}
}
