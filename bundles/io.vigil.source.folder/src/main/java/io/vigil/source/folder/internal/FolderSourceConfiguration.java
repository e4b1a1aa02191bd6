package io.vigil.source.folder.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(
    name = "Vigil folder source",
    description = "A folder of images as an image source: a sorted snapshot, or a live watch in which every new, "
        + "completely written file becomes a frame. One configuration per folder.")
@interface FolderSourceConfiguration {

  /** How the folder is read. */
  enum Mode {
    /** Every image there when a stream opens, sorted by path; the stream then ends. */
    SNAPSHOT,
    /** New files as they arrive, until the source goes away. */
    LIVE
  }

  @AttributeDefinition(
      name = "Source name",
      description = "Unique name of this source; the station selects it with (vigil.source.name=NAME).")
  String vigil_source_name();

  @AttributeDefinition(
      name = "Folder",
      description = "The folder to read. Relative paths resolve against the station's working directory.")
  String path();

  @AttributeDefinition(
      name = "Mode",
      description = "SNAPSHOT: the images there now, sorted, then the end. LIVE: each new image once completely written.",
      options = {
        @Option(label = "Snapshot (finite, sorted)", value = "SNAPSHOT"),
        @Option(label = "Live (watch for new files)", value = "LIVE")
      })
  Mode mode() default Mode.SNAPSHOT;

  @AttributeDefinition(name = "Sub-folders", description = "Also read the images in sub-folders.")
  boolean recursive() default true;

  @AttributeDefinition(
      name = "File name pattern",
      description = "A glob on the file name, e.g. *.png or cam1_*.tif; empty for every image type "
          + "(png, jpg, jpeg, bmp, tif, tiff, gif).")
  String include() default "";

  @AttributeDefinition(
      name = "Mask suffix",
      description = "Ground-truth masks named <image name><suffix>.png, e.g. _mask; empty: no masks, frames unlabelled. "
          + "With masks, an image that has one is defective (its type is its sub-folder's name), one without is good.")
  String mask_suffix() default "";

  @AttributeDefinition(
      name = "Mask folder",
      description = "Where masks are: empty for beside their images, else a folder (relative to the image folder) "
          + "with the same sub-folders as the images.")
  String mask_folder() default "";

  @AttributeDefinition(
      name = "Live: deliver existing files",
      description = "Live mode: also deliver the images already in the folder when the watch starts.")
  boolean live_existing() default false;

  @AttributeDefinition(
      name = "Live: settle time (ms)",
      description = "Live mode: a file is complete once its size and time have not changed for this long.",
      min = "0")
  long live_settle_ms() default 300;

  @AttributeDefinition(
      name = "Live: rescan period (ms)",
      description = "Live mode: how often the whole folder is listed again, for changes the operating system "
          + "did not report (network shares).",
      min = "100")
  long live_rescan_ms() default 2000;

  @AttributeDefinition(
      name = "Live: backlog",
      description = "Live mode: files kept for the next reader while no stream is open; the oldest go first.",
      min = "1")
  int live_backlog() default 10000;

  @AttributeDefinition(
      name = "Pixel limit",
      description = "A file whose header claims more pixels is refused before decoding (an error result naming it), "
          + "so a broken header or decompression bomb cannot exhaust the memory. 0: the JVM property "
          + "vigil.image.max.pixels, else 16384 x 16384.",
      min = "0")
  long max_pixels() default 0;

  @AttributeDefinition(
      name = "Longest side decoded",
      description = "0: full resolution. Otherwise a larger unlabelled image is decoded subsampled by the smallest "
          + "whole factor that fits (a 12,000 px line-scan image at 4096 decodes at a third); the detector sees its "
          + "input size either way, and the frame, its map and what sinks archive are at the decoded size. "
          + "Images with masks are always decoded whole.",
      min = "0")
  int decode_max_side() default 0;
}
