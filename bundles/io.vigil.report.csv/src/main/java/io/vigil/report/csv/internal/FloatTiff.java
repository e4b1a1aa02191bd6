package io.vigil.report.csv.internal;

import io.vigil.api.detector.AnomalyMap;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferFloat;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Anomaly maps as single-channel 32-bit IEEE float TIFFs (SampleFormat 3), uncompressed, the form
 * the MVTec AD evaluation script and tifffile read. Written with the JDK's TIFF plugin.
 */
final class FloatTiff {
  private FloatTiff() {}

  static void write(AnomalyMap map, Path file) throws IOException {
    int width = map.width();
    int height = map.height();
    DataBufferFloat buffer = new DataBufferFloat(map.values(), map.values().length);
    WritableRaster raster = Raster.createWritableRaster(
        new PixelInterleavedSampleModel(DataBuffer.TYPE_FLOAT, width, height, 1, width, new int[] {0}), buffer, null);
    ComponentColorModel colorModel = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
    BufferedImage image = new BufferedImage(colorModel, raster, false, null);
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("tiff");
    if (!writers.hasNext()) {
      throw new IOException("this Java runtime has no TIFF writer");
    }
    ImageWriter writer = writers.next();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.deleteIfExists(file);
    try (ImageOutputStream output = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(output);
      writer.write(null, new IIOImage(image, null, null), writer.getDefaultWriteParam());
    } finally {
      writer.dispose();
    }
  }

  /** Reads a float TIFF back (for checks): width, height and values. */
  static AnomalyMap read(Path file) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    if (image == null) {
      throw new IOException(file + ": not a readable TIFF");
    }
    Raster raster = image.getRaster();
    if (raster.getDataBuffer().getDataType() != DataBuffer.TYPE_FLOAT || raster.getNumBands() != 1) {
      throw new IOException(file + ": not a single-channel float TIFF");
    }
    float[] values = raster.getSamples(0, 0, image.getWidth(), image.getHeight(), 0, (float[]) null);
    return new AnomalyMap(image.getWidth(), image.getHeight(), values);
  }
}
