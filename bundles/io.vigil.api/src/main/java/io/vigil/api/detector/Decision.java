package io.vigil.api.detector;

/** The station's verdict on one part. */
public enum Decision {
  /** The part passes. */
  OK,
  /** The part is rejected as anomalous ("not OK"). */
  NOK
}
