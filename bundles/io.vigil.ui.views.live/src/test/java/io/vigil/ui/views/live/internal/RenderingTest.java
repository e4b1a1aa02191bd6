package io.vigil.ui.views.live.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Decision;
import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Rectangle;
import org.junit.jupiter.api.Test;

class RenderingTest {

  @Test
  void jetRunsFromBlueToRedAndClamps() {
    assertEquals(0x000080, Colormap.jet(0), "dark blue at the bottom");
    assertEquals(0x800000, Colormap.jet(1), "dark red at the top");
    int middle = Colormap.jet(0.5);
    assertTrue(((middle >> 8) & 0xFF) > 200, "green in the middle: " + Integer.toHexString(middle));
    assertEquals(Colormap.jet(1), Colormap.jet(7));
    assertEquals(Colormap.jet(0), Colormap.jet(-3));
    assertEquals(Colormap.jet(0), Colormap.jet(Double.NaN));
  }

  @Test
  void theThresholdSitsTwoThirdsUpTheScale() {
    ScoreScale scale = new ScoreScale();
    ScoreScale.Range range = scale.update(0.1, 0.4, 0.7);
    assertEquals(0.1, range.lo(), 1e-12);
    assertEquals(2.0 / 3.0, range.position(0.7), 1e-12);
    // A later, hotter map does not move the scale: the threshold anchors it.
    ScoreScale.Range later = scale.update(0.2, 5.0, 0.7);
    assertEquals(range.hi(), later.hi(), 1e-12);
  }

  @Test
  void withoutAThresholdTheScaleSpansTheRecentMaps() {
    ScoreScale scale = new ScoreScale();
    scale.update(1, 2, Double.NaN);
    ScoreScale.Range range = scale.update(0.5, 3, Double.NaN);
    assertEquals(0.5, range.lo(), 1e-12);
    assertEquals(3, range.hi(), 1e-12);
    ScoreScale.Range flat = new ScoreScale().update(2, 2, Double.NaN);
    assertTrue(flat.hi() > flat.lo());
  }

  @Test
  void aResultBecomesImageHeatmapAndThumbnail() {
    byte[] grey = new byte[200 * 100];
    java.util.Arrays.fill(grey, (byte) 128);
    Image image = Image.of8Bit(200, 100, 1, grey);
    float[] values = new float[200 * 100];
    values[50 * 200 + 150] = 1f; // one hot pixel
    AnomalyMap map = new AnomalyMap(200, 100, values);
    InspectionResult result = new InspectionResult(7, new Frame("f-7", Instant.EPOCH, "test", image), "f-7",
        "line", "model", Calibration.identity(0.5).detection(map, 1.0), null, Duration.ofMillis(12), Instant.EPOCH);

    RenderedResult rendered = new ResultRenderer().render(result, 0.5);

    assertEquals(Decision.NOK, rendered.decision());
    assertEquals(200, rendered.base().width);
    assertEquals(0x808080, rendered.base().getPixel(10, 10), "grey replicated to RGB");
    ImageData heat = rendered.heat();
    assertEquals(Colormap.jet(rendered.range().position(0)), heat.getPixel(0, 0));
    assertEquals(Colormap.jet(1), heat.getPixel(150, 50), "the hot pixel is at the top of the scale");
    assertEquals(ResultRenderer.THUMBNAIL_SIDE, rendered.thumbnail().width);
    assertEquals(ResultRenderer.THUMBNAIL_SIDE / 2, rendered.thumbnail().height);
    assertEquals(12.0, rendered.processingMillis(), 1e-9);
  }

  @Test
  void anUnreadableFrameRendersAsAnErrorWithoutPixels() {
    InspectionResult result = new InspectionResult(1, null, "broken.png", "line", null, null, "corrupt PNG",
        Duration.ZERO, Instant.EPOCH);
    RenderedResult rendered = new ResultRenderer().render(result, Double.NaN);
    assertTrue(rendered.isError());
    assertNull(rendered.base());
    assertNull(rendered.thumbnail());
    assertEquals("corrupt PNG", rendered.error());
  }

  @Test
  void framesPerSecondComesFromTheResultTimes() {
    ResultRenderer renderer = new ResultRenderer();
    RenderedResult last = null;
    for (int i = 0; i < 11; i++) {
      last = renderer.render(new InspectionResult(i + 1, null, "f" + i, "line", null, null, "x", Duration.ZERO,
          Instant.EPOCH.plusMillis(100L * i)), Double.NaN);
    }
    assertEquals(10.0, last.framesPerSecond(), 1e-9);
  }

  @Test
  void imagesFitTheCanvasKeepingTheirAspect() {
    Rectangle fitted = LivePart.fit(400, 200, new Rectangle(0, 0, 800, 800));
    assertEquals(new Rectangle(0, 200, 800, 400), fitted);
  }
}
