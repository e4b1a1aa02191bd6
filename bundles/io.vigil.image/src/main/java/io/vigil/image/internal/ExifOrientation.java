package io.vigil.image.internal;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.MetadataException;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the EXIF orientation tag with metadata-extractor. */
public final class ExifOrientation {
  private ExifOrientation() {}

  /** The orientation recorded in an encoded image, {@link Orientation#NORMAL} when none. */
  public static int of(byte[] encoded) {
    if (!mayCarryExif(encoded)) {
      return Orientation.NORMAL;
    }
    try {
      return read(new ByteArrayInputStream(encoded));
    } catch (IOException e) {
      return Orientation.NORMAL;
    }
  }

  /** The orientation recorded in an image file, reading only as far as the metadata goes. */
  public static int of(Path file) throws IOException {
    byte[] head = new byte[8];
    try (InputStream in = Files.newInputStream(file)) {
      int n = in.readNBytes(head, 0, head.length);
      if (n < head.length || !mayCarryExif(head)) {
        return Orientation.NORMAL;
      }
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return read(in);
    }
  }

  private static int read(InputStream in) throws IOException {
    try {
      Metadata metadata = ImageMetadataReader.readMetadata(in);
      for (ExifIFD0Directory directory : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
        if (directory.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
          return directory.getInt(ExifIFD0Directory.TAG_ORIENTATION);
        }
      }
      return Orientation.NORMAL;
    } catch (ImageProcessingException | MetadataException | RuntimeException e) {
      // Broken metadata must not make a decodable image unreadable: show it as stored.
      return Orientation.NORMAL;
    }
  }

  /** JPEG, TIFF and PNG carry EXIF; BMP and GIF never do, so their metadata is not parsed. */
  private static boolean mayCarryExif(byte[] head) {
    if (head.length < 4) {
      return false;
    }
    int b0 = head[0] & 0xFF;
    int b1 = head[1] & 0xFF;
    boolean jpeg = b0 == 0xFF && b1 == 0xD8;
    boolean tiff = (b0 == 'I' && b1 == 'I' && head[2] == 42) || (b0 == 'M' && b1 == 'M' && head[3] == 42);
    boolean png = b0 == 0x89 && b1 == 'P' && head[2] == 'N' && head[3] == 'G';
    return jpeg || tiff || png;
  }
}
