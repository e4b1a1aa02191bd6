package io.vigil.itest.evalfixture;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.DetectionException;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.ModelException;
import io.vigil.api.detector.TrainingMonitor;
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
 */
@Component(property = Detector.ALGORITHM_PROPERTY + "=slow-brightness")
public class SlowBrightnessFactory implements DetectorFactory {
  static final String MODEL_FILE = "slow-brightness.properties";

  @Override
  public String algorithm() {
    return "slow-brightness";
  }

  @Override
  public Detector train(ImageSource goodImages, Map<String, Object> parameters, Path modelDirectory,
      TrainingMonitor monitor) {
    throw new UnsupportedOperationException("the fixture is not trainable");
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
