package io.vigil.api.inspection;

/**
 * A snapshot of the station loop.
 *
 * @param state           what the loop does now
 * @param sourceName      the bound source, null if none
 * @param detectorName    the bound detector, null if none
 * @param results         results produced since the station started
 * @param errors          of those, results with an error
 * @param framesPerSecond results per second over the last few seconds
 */
public record StationStatus(
    State state, String sourceName, String detectorName, long results, long errors, double framesPerSecond) {

  public enum State {
    /** No source bound. */
    WAITING_FOR_SOURCE,
    /** A frame is waiting for a detector to be bound. */
    WAITING_FOR_DETECTOR,
    /** Frames are flowing. */
    RUNNING,
    /** A finite source delivered all its frames. */
    FINISHED,
    /** Inspection paused by configuration ({@link Station#PAUSED}); the source stays bound. Since 1.3. */
    PAUSED,
    /** Stopped. */
    STOPPED
  }
}
