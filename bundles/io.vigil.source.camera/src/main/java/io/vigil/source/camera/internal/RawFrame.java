package io.vigil.source.camera.internal;

/**
 * One image as the camera sent it, copied out of Aravis's buffer so the buffer can go back to the
 * stream at once; converted to an Image by the reader.
 *
 * @param pixelFormat     GenICam PFNC code
 * @param rowStride       bytes from one row to the next (image bytes plus padding)
 * @param systemTimestamp nanoseconds since the epoch when the host received it; 0 if unknown
 * @param deviceTimestamp the camera's own clock, in its ticks (usually nanoseconds)
 * @param frameId         the camera's block id (wraps, and restarts after a reconnect)
 */
record RawFrame(
    int width, int height, int pixelFormat, int rowStride, byte[] data, long systemTimestamp,
    long deviceTimestamp, long frameId) {}
