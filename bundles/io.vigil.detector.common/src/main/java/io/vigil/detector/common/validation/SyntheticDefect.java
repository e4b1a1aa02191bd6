package io.vigil.detector.common.validation;

import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;

/**
 * A good image with one synthetic defect pasted in.
 *
 * @param image the changed image, same size and channels as the original
 * @param mask  exactly the pixels the defect changed (a pixel whose value clipping left unchanged
 *     may still be marked)
 * @param kind  what was pasted
 */
public record SyntheticDefect(Image image, Mask mask, DefectKind kind) {}
