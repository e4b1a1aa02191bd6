package io.vigil.ui.views.evaluation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Detector;
import io.vigil.api.image.Frame;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Image;
import io.vigil.api.metric.Metric;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.ScoredFrame;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class EvaluationRunTest {

  @Test
  void everyFrameIsScoredAndFedToEveryMetric() throws Exception {
    List<Integer> progress = new ArrayList<>();
    Map<String, Metric> metrics = new LinkedHashMap<>();
    metrics.put("count", new CountMetric());
    metrics.put("broken", new BrokenMetric());
    EvaluationRun.Outcome outcome = EvaluationRun.run(new BrightnessDetector(), new Frames(4, true), metrics,
        progress(progress, false));
    assertEquals(4, outcome.images().size());
    assertEquals(List.of(1, 2, 3, 4), progress);
    assertEquals("f1", outcome.images().get(1).id());
    assertTrue(outcome.images().get(1).anomalous());
    assertEquals(10 / 255f, outcome.images().get(1).score(), 1e-9);
    assertEquals(0.5, outcome.calibratedThreshold());
    assertEquals(4.0, outcome.metrics().get(0).result().value());
    assertNull(outcome.metrics().get(1).result());
    assertEquals("needs masks", outcome.metrics().get(1).error());
  }

  @Test
  void unlabelledFramesAndCancellationStopTheRun() {
    IOException unlabelled = assertThrows(IOException.class,
        () -> EvaluationRun.run(new BrightnessDetector(), new Frames(2, false), Map.of(), progress(new ArrayList<>(), false)));
    assertTrue(unlabelled.getMessage().contains("has no label"), unlabelled.getMessage());
    assertThrows(CancellationException.class,
        () -> EvaluationRun.run(new BrightnessDetector(), new Frames(2, true), Map.of(), progress(new ArrayList<>(), true)));
  }

  private static EvaluationRun.Progress progress(List<Integer> seen, boolean cancelled) {
    return new EvaluationRun.Progress() {
      @Override
      public void scored(int done, int total) {
        seen.add(done);
      }

      @Override
      public boolean isCancelled() {
        return cancelled;
      }
    };
  }

  /** Frames with grey level 5 * index; odd ones are defects. */
  private record Frames(int count, boolean labelled) implements ImageSource {
    @Override
    public String name() {
      return "frames";
    }

    @Override
    public boolean isFinite() {
      return true;
    }

    @Override
    public FrameStream open() {
      return new FrameStream() {
        int next;

        @Override
        public Frame next(Duration timeout) {
          int i = next++;
          GroundTruth truth = !labelled ? null : i % 2 == 1 ? GroundTruth.defect("spot", null) : GroundTruth.good(null);
          return new Frame("f" + i, Instant.EPOCH, "test", Image.of8Bit(1, 1, 1, new byte[] {(byte) (10 * i)}), truth,
              null);
        }

        @Override
        public boolean isExhausted() {
          return next >= count;
        }

        @Override
        public void close() {}
      };
    }
  }

  private static final class BrightnessDetector implements Detector {
    @Override
    public String name() {
      return "brightness";
    }

    @Override
    public String algorithm() {
      return "test";
    }

    @Override
    public Calibration calibration() {
      return Calibration.identity(0.5);
    }

    @Override
    public Detection detect(Image image) {
      float value = image.sample(0, 0, 0) / 255f;
      return calibration().detection(new AnomalyMap(1, 1, new float[] {value}), value);
    }
  }

  private static final class CountMetric implements Metric {
    @Override
    public String name() {
      return "count";
    }

    @Override
    public Accumulator newAccumulator() {
      return new Accumulator() {
        int frames;

        @Override
        public void add(ScoredFrame frame) {
          frames++;
        }

        @Override
        public MetricResult result() {
          return new MetricResult("count", frames);
        }
      };
    }
  }

  private static final class BrokenMetric implements Metric {
    @Override
    public String name() {
      return "broken";
    }

    @Override
    public Accumulator newAccumulator() {
      return new Accumulator() {
        @Override
        public void add(ScoredFrame frame) {
          throw new IllegalArgumentException("needs masks");
        }

        @Override
        public MetricResult result() {
          throw new AssertionError("never asked");
        }
      };
    }
  }
}
