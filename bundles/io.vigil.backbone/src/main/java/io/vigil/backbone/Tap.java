package io.vigil.backbone;

/**
 * A layer whose output a backbone can return.
 *
 * @param name     e.g. "block_6_expand"
 * @param channels feature channels
 * @param stride   input pixels per feature cell (8: a 224 input gives a 28x28 map)
 */
public record Tap(String name, int channels, int stride) {}
