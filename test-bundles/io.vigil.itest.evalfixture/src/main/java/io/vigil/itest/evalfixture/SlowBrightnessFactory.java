package io.vigil.itest.evalfixture;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.DetectionException;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.ModelException;
import io.vigil.api.detector.TrainingException;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.source.FrameStream;
import io.vigil.detector.common.model.ModelDirectories;
import java.io.OutputStream;
import java.time.Duration;
import io.vigil.api.image.Image;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.osgi.service.component.annotations.Component;

/**
 * Loads "models" that are a directory holding {@value #MODEL_FILE} ({@code delay.ms=N}): the
 * detector scores brightness / 255 and sleeps N ms per image, so a test can interrupt a run.
 *
 * <p>Training reads every good image, then writes such a model the way the real detectors do,
 * through {@link ModelDirectories#writeAtomically}: {@value #WEIGHTS_FILE} of {@code weights.kb}
 * KiB (default 64) first, in 4 KiB writes {@code write.delay.ms} apart (default 0, so a test can
 * kill the process while it writes), the document last.
 */
@Component(property = Detector.ALGORITHM_PROPERTY + "=slow-brightness")
public class SlowBrightnessFactory implements DetectorFactory {
  static final String MODEL_FILE = "slow-brightness.properties";
  static final String WEIGHTS_FILE = "weights.bin";

  @Override
  public String algorithm() {
    return "slow-brightness";
  }

  @Override
  public Detector train(ImageSource goodImages, Map<String, Object> parameters, Path modelDirectory,
      TrainingMonitor monitor) throws TrainingException, InterruptedException {
    long kib = Long.parseLong(String.valueOf(parameters.getOrDefault("weights.kb", "64")));
    long delay = Long.parseLong(String.valueOf(parameters.getOrDefault("write.delay.ms", "0")));
    int images = 0;
    try (FrameStream stream = goodImages.open()) {
      while (!stream.isExhausted() && stream.next(Duration.ofSeconds(10)) != null) {
        images++;
      }
      ModelDirectories.writeAtomically(modelDirectory, partial -> {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(partial.resolve(WEIGHTS_FILE))) {
          for (long written = 0; written < kib * 1024; written += block.length) {
            out.write(block);
            out.flush();
            if (delay > 0) {
              try {
                Thread.sleep(delay);
              } catch (InterruptedException e) {
                throw new java.nio.channels.ClosedByInterruptException();
              }
            }
          }
        }
        Files.writeString(partial.resolve(MODEL_FILE), "delay.ms=0\n");
      });
    } catch (io.vigil.api.source.FrameReadException e) {
      throw new TrainingException("cannot read " + e.getMessage(), e);
    } catch (java.nio.channels.ClosedByInterruptException e) {
      throw new InterruptedException("training stopped");
    } catch (IOException e) {
      throw new TrainingException("cannot write the model to " + modelDirectory + ": " + e.getMessage(), e);
    }
    if (images == 0) {
      throw new TrainingException("no good images");
    }
    try {
      return load(modelDirectory);
    } catch (ModelException e) {
      throw new TrainingException(e.getMessage(), e);
    }
  }

  @Override
  public boolean recognizes(Path modelDirectory) {
    return Files.isRegularFile(modelDirectory.resolve(MODEL_FILE));
  }

  @Override
  public Detector load(Path modelDirectory) throws ModelException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(modelDirectory.resolve(MODEL_FILE))) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ModelException("cannot read " + modelDirectory.resolve(MODEL_FILE), e);
    }
    long delay = Long.parseLong(properties.getProperty("delay.ms", "0"));
    return new Detector() {
      private final Calibration calibration = new Calibration(0.1, 0.2, 0.5);

      @Override
      public String name() {
        return modelDirectory.getFileName().toString();
      }

      @Override
      public String algorithm() {
        return "slow-brightness";
      }

      @Override
      public Calibration calibration() {
        return calibration;
      }

      @Override
      public Detection detect(Image image) throws DetectionException {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // the evaluation sees it before the next image
        }
        float[] map = new float[image.width() * image.height()];
        for (int i = 0; i < map.length; i++) {
          map[i] = image.sample(i % image.width(), i / image.width(), 0) / 255f;
        }
        AnomalyMap anomalyMap = new AnomalyMap(image.width(), image.height(), map);
        return calibration.detection(anomalyMap, anomalyMap.max());
      }
    };
  }
}
