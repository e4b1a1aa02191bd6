package io.vigil.detector.efficientad.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.vigil.api.image.Image;
import io.vigil.backbone.ImageTensors;
import io.vigil.image.ImageFileNames;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The paper's penalty images: generic pictures without the product (ImageNet in the paper). The
 * student's teacher half is pushed towards 0 on them, which after the teacher's standardisation is
 * the teacher's mean feature: the student so learns to predict the teacher on good parts only and
 * not to imitate it on whatever it is shown, defects included. Each image is kept at twice the
 * input size; a step takes random input-sized crops of them (a 2x zoom as in the paper's
 * resize-then-crop), mirrored at random and turned grey with probability 0.3 (the paper's
 * RandomGrayscale(0.3)).
 */
final class PenaltyImages implements AutoCloseable {
  static final double GREY_PROBABILITY = 0.3;

  private final NDArray images; // (N, 3, 2S, 2S), RGB in [0, 1]
  private final int inputSize;

  PenaltyImages(NDArray images, int inputSize) {
    this.images = images;
    this.inputSize = inputSize;
  }

  /** Every image file directly in {@code folder}, at twice {@code inputSize}, on {@code manager}. */
  static PenaltyImages read(Path folder, int inputSize, NDManager manager) throws IOException {
    List<Path> files = ImageFileNames.list(folder);
    if (files.isEmpty()) {
      throw new IOException("no images in " + folder);
    }
    List<Image> decoded = new ArrayList<>();
    for (Path file : files) {
      decoded.add(ImageFiles.read(file));
    }
    return new PenaltyImages(ImageTensors.batch(manager, decoded, 2 * inputSize, 2 * inputSize), inputSize);
  }

  int count() {
    return (int) images.getShape().get(0);
  }

  /** {@code count} random crops (count, 3, S, S) on {@code scope}. */
  NDArray crops(int count, Random random, NDManager scope) {
    NDList crops = new NDList();
    int range = (int) images.getShape().get(2) - inputSize;
    for (int i = 0; i < count; i++) {
      int image = random.nextInt(count());
      int y = random.nextInt(range + 1);
      int x = random.nextInt(range + 1);
      NDArray crop = images.get(image + ", :, " + y + ":" + (y + inputSize) + ", " + x + ":" + (x + inputSize));
      crop.attach(scope);
      if (random.nextBoolean()) {
        crop = crop.flip(2);
      }
      if (random.nextDouble() < GREY_PROBABILITY) {
        crop = crop.mean(new int[] {0}, true).repeat(0, 3);
      }
      crops.add(crop);
    }
    return NDArrays.stack(crops, 0);
  }

  /**
   * The penalty of the student's teacher half on penalty images: the mean of its squared outputs
   * (the paper's (1 / (C W H)) sum S(P)^2, averaged over the batch).
   */
  static NDArray loss(NDArray studentTeacherHalf) {
    return studentTeacherHalf.square().mean();
  }

  @Override
  public void close() {
    images.close();
  }
}
