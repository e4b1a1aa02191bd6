package io.vigil.source.camera.internal;

/** A camera Aravis found: its id (what a source configuration names) and what it says of itself. */
record CameraInfo(String id, String vendor, String model, String serial, String protocol, String address) {}
