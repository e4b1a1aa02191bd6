package io.vigil.detector.common.validation;

/** The kinds of synthetic defect, after the CutPaste and DRAEM line of work. */
public enum DefectKind {
  /** A thin curved line, darker or brighter than the surface: scratches, cracks. */
  SCRATCH,
  /** An irregular Perlin-noise blob of changed brightness: stains, contamination, unevenness. */
  STAIN,
  /** A rectangle cut from elsewhere in the image, turned and with its brightness shifted. */
  CUT_PASTE,
  /** A small dark ellipse: holes, pits, blowholes. */
  HOLE,
  /**
   * A large, faint, smooth region of changed brightness: unevenness, discolouration, faint stains
   * and smears (MVTec AD's colour, grey-stroke, oil and glue defects).
   */
  SHADE
}
