package io.vigil.itest.ui;

import static io.vigil.itest.ui.UiDriver.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.swt.widgets.Combo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;

/** The capture view: a live preview of a source, the frame on screen saved as good or as a defect type. */
class CaptureViewTest {
  private static final String SOURCE = "itest-capture-view";
  @TempDir Path directory;
  private UiDriver ui;
  private ServiceRegistration<ImageSource> registration;
  private final ReleasedSource source = new ReleasedSource();

  /**
   * A live source whose every open stream delivers its frame N (a ramp starting at N * 10) only when the
   * test releases one: the station reads this source too, and must not take the preview's frames.
   */
  static final class ReleasedSource implements ImageSource {
    private final List<Semaphore> streams = new java.util.concurrent.CopyOnWriteArrayList<>();

    static Image image(int number) {
      byte[] pixels = new byte[32 * 24];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (byte) (number * 10 + 4 * (i % 32) + 2 * (i / 32));
      }
      return Image.of8Bit(32, 24, 1, pixels);
    }

    /** One more frame for each open stream. */
    void release() {
      streams.forEach(Semaphore::release);
    }

    @Override
    public String name() {
      return SOURCE;
    }

    @Override
    public boolean isFinite() {
      return false;
    }

    @Override
    public FrameStream open() {
      Semaphore released = new Semaphore(0);
      streams.add(released);
      AtomicInteger delivered = new AtomicInteger();
      return new FrameStream() {
        @Override
        public Frame next(Duration timeout) throws InterruptedException {
          if (!released.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return null;
          }
          int number = delivered.incrementAndGet();
          return new Frame("itest-" + number, Instant.now(), "test", image(number), null,
              Map.of("camera.frame.id", Integer.toString(number)));
        }

        @Override
        public boolean isExhausted() {
          return false;
        }

        @Override
        public void close() {
          streams.remove(released);
        }
      };
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    ui = UiDriver.open("capture");
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(ImageSource.NAME_PROPERTY, SOURCE);
    properties.put("pixel.format", "Mono8");
    registration = ui.context.registerService(ImageSource.class, source, properties);
    ui.awaitWidget("capture.source");
    await(() -> ui.items("capture.source").contains(SOURCE), () -> "the test source listed: " + ui.items("capture.source"));
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      registration.unregister();
    } finally {
      ui.close();
    }
  }

  private void showFrame(int number) throws InterruptedException {
    source.release();
    await(() -> ui.text("capture.frame").startsWith("frame itest-" + number), () -> "frame " + number + " shown: "
        + ui.text("capture.frame"));
  }

  @Test
  void theFrameOnScreenIsSavedAsGoodOrAsADefectNumberedOnAndLogged() throws Exception {
    Path data = directory.resolve("new-part");
    ui.choose("capture.source", SOURCE);
    ui.press("capture.preview");
    showFrame(1);
    ui.type("capture.folder", data.toString());
    ui.press("capture.save.train");
    await(() -> ui.text("capture.status").equals("saved train/good/000.png"), () -> ui.text("capture.status"));
    assertArrayEquals(ReleasedSource.image(1).pixels8(), ImageFiles.read(data.resolve("train/good/000.png")).pixels8());

    showFrame(2);
    ui.runOnUi(() -> ui.widget("capture.defect.type", Combo.class).setText("dent"));
    ui.press("capture.save.defect");
    await(() -> ui.text("capture.status").equals("saved test/dent/000.png"), () -> ui.text("capture.status"));
    assertArrayEquals(ReleasedSource.image(2).pixels8(), ImageFiles.read(data.resolve("test/dent/000.png")).pixels8());
    ui.press("capture.save.defect");
    await(() -> ui.text("capture.status").equals("saved test/dent/001.png"), () -> ui.text("capture.status"));
    ui.press("capture.save.test.good");
    await(() -> ui.text("capture.status").equals("saved test/good/000.png"), () -> ui.text("capture.status"));
    assertEquals("train/good 1\ntest/dent 2\ntest/good 1", ui.text("capture.counters"));
    assertTrue(ui.items("capture.defect.type").contains("dent"), "the new type is offered next time");
    ui.pauseForScreenshot(300);
    ui.screenshot("capture-view");

    List<String> rows = Files.readAllLines(data.resolve("capture.csv"));
    assertEquals(5, rows.size(), "header and four rows: " + rows);
    assertTrue(rows.get(1).startsWith("train/good/000.png,"), rows.get(1));
    assertTrue(rows.get(2).contains("," + SOURCE + ",itest-2,32,24,1,8,pixel.format=Mono8,camera.frame.id=2"), rows.get(2));

    ui.press("capture.preview"); // stop
    await(() -> !Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("vigil-capture-preview")),
        () -> "the preview thread ended");
  }
}
