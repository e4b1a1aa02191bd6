package io.vigil.source.camera.internal;

/** When the camera takes a picture. */
public enum Trigger {
  /** Continuously, at the camera's frame rate. */
  FREE_RUN,
  /** When a reader asks for a frame: the source sends a software trigger and waits for its image. */
  SOFTWARE,
  /** On a signal at the camera's input line (a light barrier, a PLC output). */
  HARDWARE
}
