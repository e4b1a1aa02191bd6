package io.vigil.djl.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Runs in a JVM of its own (the BLAS is chosen once per process): starts MXNet with the given
 * blas setting, multiplies seeded random matrices of the SimpleNet head's shape and writes the
 * BLAS description and the product's floats to a file.
 */
public final class BlasProbe {
  static final int ROWS = 392;
  static final int INNER = 576;
  static final int COLUMNS = 1024;

  private BlasProbe() {}

  public static void main(String[] args) throws IOException {
    String blas = EngineSettings.applyBlas(args[0], "", BlasProbe.class.getClassLoader(), System::getenv,
        SystemBlasFolder.SEARCHED, EngineSettings::tryLoad);
    Engine engine = Engine.getEngine("MXNet");
    float[] product;
    try (NDManager manager = engine.newBaseManager()) {
      NDArray a = manager.create(random(ROWS * INNER, 1), new Shape(ROWS, INNER));
      NDArray b = manager.create(random(INNER * COLUMNS, 2), new Shape(INNER, COLUMNS));
      product = a.dot(b).toFloatArray();
    }
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(args[1])))) {
      out.writeUTF(blas);
      out.writeUTF(EngineSettings.loadedOpenBlas().orElse("none"));
      out.writeInt(product.length);
      for (float value : product) {
        out.writeFloat(value);
      }
    }
  }

  static float[] random(int size, long seed) {
    Random random = new Random(seed);
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
