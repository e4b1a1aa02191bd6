package io.vigil.detector.common.training;

import io.vigil.api.detector.TrainingException;
import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the good images a detector trains on from a finite source. */
public final class GoodImages {
  private static final Logger LOG = LoggerFactory.getLogger(GoodImages.class);

  private GoodImages() {}

  /**
   * Every readable frame of the source, reported as phase "reading"; unreadable ones are skipped
   * and their origins added to {@code skipped}. A frame labelled defective is refused.
   *
   * @param algorithm named in messages ("SimpleNet trains on good images only")
   */
  public static List<Image> read(ImageSource source, String algorithm, TrainingReporter reporter, List<String> skipped)
      throws TrainingException, InterruptedException {
    if (!source.isFinite()) {
      throw new TrainingException("source '" + source.name() + "' is a live stream; training needs a finite set of good images");
    }
    List<Image> images = new ArrayList<>();
    try (FrameStream stream = source.open()) {
      int total = stream.size().orElse(0);
      while (!stream.isExhausted()) {
        reporter.checkCancelled();
        try {
          Frame frame = stream.next(Duration.ofSeconds(5));
          if (frame != null) {
            if (frame.groundTruth() != null && frame.groundTruth().anomalous()) {
              throw new TrainingException("frame " + frame.id() + " is labelled '" + frame.groundTruth().defectType()
                  + "': " + algorithm + " trains on good images only");
            }
            images.add(frame.image());
            reporter.progress("reading", images.size(), total, Double.NaN);
          }
        } catch (FrameReadException e) {
          skipped.add(e.origin());
          LOG.warn("Skipping unreadable training item: {}", e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new TrainingException("cannot read source '" + source.name() + "': " + e.getMessage(), e);
    }
    if (images.isEmpty()) {
      throw new TrainingException("source '" + source.name() + "' has no readable images"
          + (skipped.isEmpty() ? "" : " (" + skipped.size() + " unreadable)"));
    }
    return images;
  }
}
