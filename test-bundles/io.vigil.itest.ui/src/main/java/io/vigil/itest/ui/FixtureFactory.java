package io.vigil.itest.ui;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.ModelException;
import io.vigil.api.detector.TrainingException;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.detector.TrainingProgress;
import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CancellationException;

/**
 * A small, real detector factory for the UI tests (SimpleNet lives in another bundle): it learns
 * the mean and spread of each cell of a coarse grid over the good images (each image's own mean
 * colour taken out), and scores a cell by how far it lies from that, in spreads. Holes and stains
 * stand out clearly, thin scratches less. Training reports progress per epoch; {@code stepDelay}
 * slows the epochs down so a test can cancel one.
 */
final class FixtureFactory implements DetectorFactory {
  static final String MODEL_FILE = "fixture-model.properties";
  private static final int GRID = 16;

  private final String algorithm;
  private final Duration stepDelay;

  FixtureFactory(String algorithm, Duration stepDelay) {
    this.algorithm = algorithm;
    this.stepDelay = stepDelay;
  }

  @Override
  public String algorithm() {
    return algorithm;
  }

  @Override
  public Detector train(ImageSource goodImages, Map<String, Object> parameters, Path modelDirectory,
      TrainingMonitor monitor) throws TrainingException, InterruptedException {
    long start = System.nanoTime();
    String name = String.valueOf(parameters.getOrDefault("name", algorithm + "-model"));
    int epochs = Integer.parseInt(String.valueOf(parameters.getOrDefault("epochs", 2)));
    List<float[]> features = new ArrayList<>();
    try (FrameStream stream = goodImages.open()) {
      int total = stream.size().orElse(0);
      while (!stream.isExhausted()) {
        checkCancelled(monitor);
        Frame frame = stream.next(Duration.ofSeconds(10));
        if (frame != null) {
          features.add(cells(frame.image()));
          monitor.progress(new TrainingProgress("features", features.size(), total, Double.NaN, since(start), null));
        }
      }
    } catch (IOException | io.vigil.api.source.FrameReadException e) {
      throw new TrainingException("cannot read the training images: " + e.getMessage(), e);
    }
    if (features.size() < 2) {
      throw new TrainingException("need at least two good images, got " + features.size());
    }
    int length = features.get(0).length;
    float[] mean = new float[length];
    float[] spread = new float[length];
    for (float[] f : features) {
      for (int i = 0; i < length; i++) {
        mean[i] += f[i] / features.size();
      }
    }
    for (float[] f : features) {
      for (int i = 0; i < length; i++) {
        spread[i] += (f[i] - mean[i]) * (f[i] - mean[i]) / features.size();
      }
    }
    for (int i = 0; i < length; i++) {
      spread[i] = (float) Math.sqrt(spread[i]) + 2f; // a floor: a flat cell must not make noise an anomaly
    }
    GridDetector model = new GridDetector(name, algorithm, mean, spread, Calibration.identity(1));
    double[] scores = new double[features.size()];
    for (int epoch = 1; epoch <= epochs; epoch++) {
      checkCancelled(monitor);
      Thread.sleep(stepDelay.toMillis());
      double loss = 0;
      for (int i = 0; i < features.size(); i++) {
        scores[i] = model.score(features.get(i));
        loss += scores[i] / features.size();
      }
      Duration elapsed = since(start);
      Duration remaining = elapsed.dividedBy(epoch).multipliedBy(epochs - epoch);
      monitor.progress(new TrainingProgress("epoch", epoch, epochs, loss / epoch, elapsed, remaining));
    }
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    double max = sorted[sorted.length - 1];
    Calibration calibration = new Calibration(median, Math.max(1e-3, max - median), max + 1.5 * (max - median) + 0.5);
    GridDetector trained = new GridDetector(name, algorithm, mean, spread, calibration);
    save(trained, modelDirectory);
    return trained;
  }

  private static void checkCancelled(TrainingMonitor monitor) {
    if (monitor.isCancelled()) {
      throw new CancellationException("training cancelled");
    }
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** The image as GRID x GRID cells of mean RGB, each channel less the image's mean. */
  static float[] cells(Image image) {
    Image rgb = image.toRgb8();
    float[] cells = new float[GRID * GRID * 3];
    int[] counts = new int[GRID * GRID];
    double[] imageMean = new double[3];
    for (int y = 0; y < rgb.height(); y++) {
      for (int x = 0; x < rgb.width(); x++) {
        int cell = (y * GRID / rgb.height()) * GRID + x * GRID / rgb.width();
        counts[cell]++;
        for (int c = 0; c < 3; c++) {
          int value = rgb.sample(x, y, c);
          cells[cell * 3 + c] += value;
          imageMean[c] += value;
        }
      }
    }
    int pixels = rgb.width() * rgb.height();
    for (int cell = 0; cell < GRID * GRID; cell++) {
      for (int c = 0; c < 3; c++) {
        cells[cell * 3 + c] = (float) (cells[cell * 3 + c] / Math.max(1, counts[cell]) - imageMean[c] / pixels);
      }
    }
    return cells;
  }

  private static void save(GridDetector model, Path directory) throws TrainingException {
    Properties properties = new Properties();
    properties.setProperty("algorithm", model.algorithm());
    properties.setProperty("name", model.name());
    properties.setProperty("mean", join(model.mean));
    properties.setProperty("spread", join(model.spread));
    properties.setProperty("location", Double.toString(model.calibration().location()));
    properties.setProperty("scale", Double.toString(model.calibration().scale()));
    properties.setProperty("threshold", Double.toString(model.calibration().threshold()));
    try {
      Path parent = directory.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path partial = Files.createTempDirectory(parent, "." + directory.getFileName() + ".partial-");
      try (OutputStream out = Files.newOutputStream(partial.resolve(MODEL_FILE))) {
        properties.store(out, "fixture grid model");
      }
      Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new TrainingException("cannot save the model to " + directory + ": " + e.getMessage(), e);
    }
  }

  private static String join(float[] values) {
    StringBuilder text = new StringBuilder();
    for (float value : values) {
      text.append(text.length() == 0 ? "" : ",").append(value);
    }
    return text.toString();
  }

  private static float[] split(String text) {
    String[] parts = text.split(",");
    float[] values = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = Float.parseFloat(parts[i]);
    }
    return values;
  }

  @Override
  public boolean recognizes(Path modelDirectory) {
    Properties properties = read(modelDirectory);
    return properties != null && algorithm.equals(properties.getProperty("algorithm"));
  }

  @Override
  public Detector load(Path modelDirectory) throws ModelException {
    Properties properties = read(modelDirectory);
    if (properties == null) {
      throw new ModelException("no " + MODEL_FILE + " in " + modelDirectory);
    }
    return new GridDetector(properties.getProperty("name"), algorithm, split(properties.getProperty("mean")),
        split(properties.getProperty("spread")), new Calibration(Double.parseDouble(properties.getProperty("location")),
            Double.parseDouble(properties.getProperty("scale")), Double.parseDouble(properties.getProperty("threshold"))));
  }

  private static Properties read(Path directory) {
    Path file = directory.resolve(MODEL_FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
      return properties;
    } catch (IOException e) {
      return null;
    }
  }

  /** The trained grid model. */
  static final class GridDetector implements Detector {
    private final String name;
    private final String algorithm;
    final float[] mean;
    final float[] spread;
    private final Calibration calibration;

    GridDetector(String name, String algorithm, float[] mean, float[] spread, Calibration calibration) {
      this.name = name;
      this.algorithm = algorithm;
      this.mean = mean;
      this.spread = spread;
      this.calibration = calibration;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String algorithm() {
      return algorithm;
    }

    @Override
    public Calibration calibration() {
      return calibration;
    }

    /** Per cell: the largest channel distance from the mean, in spreads. */
    float[] cellScores(float[] features) {
      float[] scores = new float[GRID * GRID];
      for (int cell = 0; cell < scores.length; cell++) {
        for (int c = 0; c < 3; c++) {
          int i = cell * 3 + c;
          scores[cell] = Math.max(scores[cell], Math.abs(features[i] - mean[i]) / spread[i]);
        }
      }
      return scores;
    }

    double score(float[] features) {
      float max = 0;
      for (float value : cellScores(features)) {
        max = Math.max(max, value);
      }
      return max;
    }

    @Override
    public Detection detect(Image image) {
      float[] cells = cellScores(cells(image));
      float[] map = new float[image.width() * image.height()];
      for (int y = 0; y < image.height(); y++) {
        for (int x = 0; x < image.width(); x++) {
          map[y * image.width() + x] = cells[(y * GRID / image.height()) * GRID + x * GRID / image.width()];
        }
      }
      AnomalyMap anomalyMap = new AnomalyMap(image.width(), image.height(), map);
      return calibration.detection(anomalyMap, anomalyMap.max());
    }
  }
}
