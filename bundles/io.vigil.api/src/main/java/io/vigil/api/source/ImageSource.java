package io.vigil.api.source;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A named supply of frames: a finite collection (a data set split, a folder snapshot) or a live
 * stream (a camera, a watched folder). Registered as a service with {@link #NAME_PROPERTY}, so
 * the station can pick one by filter and swap it at run time.
 */
@ConsumerType
public interface ImageSource {
  /** Service property: the source's name, unique among registered sources. */
  String NAME_PROPERTY = "vigil.source.name";

  String name();

  /** True for a data set or folder snapshot that ends; false for a live stream. */
  boolean isFinite();

  /**
   * Opens a new stream of frames, from the first frame for finite sources. Each call gives an
   * independent stream; the caller closes it.
   *
   * @throws IOException when the source cannot be reached (missing folder, camera unplugged)
   */
  FrameStream open() throws IOException;
}
