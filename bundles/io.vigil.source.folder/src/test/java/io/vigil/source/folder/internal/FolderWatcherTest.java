package io.vigil.source.folder.internal;

import static io.vigil.source.folder.internal.FolderLayoutTest.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Frame;
import io.vigil.api.source.FrameReadException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderWatcherTest {
  private static final Duration SETTLE = Duration.ofMillis(150);
  private static final Duration WAIT = Duration.ofSeconds(5);
  @TempDir Path dir;
  @TempDir Path staging;
  private FolderWatcher watcher;

  @AfterEach
  void stop() throws InterruptedException {
    if (watcher != null) {
      watcher.close();
    }
  }

  private LiveFolderStream watch(boolean existing) throws Exception {
    FolderLayout layout = new FolderLayout(dir, true, "", "", "");
    watcher = new FolderWatcher("test", layout, new FolderWatcher.Settings(SETTLE, Duration.ofMillis(500), 100, existing));
    watcher.start();
    return new LiveFolderStream(watcher.subscribe(), layout, Map.of());
  }

  @Test
  void aCopiedFileBecomesAFrameAndACorruptOneAnErrorWithoutStoppingTheWatch() throws Exception {
    png(dir.resolve("before.png"));
    try (LiveFolderStream stream = watch(false)) {
      Thread.sleep(100);
      Files.copy(png(staging.resolve("one.png")), dir.resolve("one.png"));
      Frame one = stream.next(WAIT);
      assertNotNull(one, "the copied file");
      assertEquals("one.png", one.id());

      Files.write(dir.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0});
      FrameReadException error = assertThrows(FrameReadException.class, () -> stream.next(WAIT));
      assertTrue(error.origin().endsWith("broken.png"), error.origin());

      Files.createDirectories(dir.resolve("later"));
      Files.copy(png(staging.resolve("two.png")), dir.resolve("later/two.png"));
      assertEquals("later/two.png", stream.next(WAIT).id());
      assertNull(stream.next(Duration.ofMillis(600)), "before.png was there already: not delivered");
    }
  }

  @Test
  void aFileStillBeingWrittenWaitsUntilItSettles() throws Exception {
    byte[] encoded = Files.readAllBytes(png(staging.resolve("slow.png")));
    try (LiveFolderStream stream = watch(false)) {
      Path target = dir.resolve("slow.png");
      try (OutputStream out = Files.newOutputStream(target)) {
        // Half now, the rest after more than the settle time would allow if it were not moving.
        out.write(encoded, 0, encoded.length / 2);
        out.flush();
        for (int i = 0; i < 4; i++) {
          Thread.sleep(SETTLE.toMillis() / 2);
          Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + i));
        }
        assertNull(stream.next(Duration.ofMillis(10)), "nothing while the file grows or is touched");
        out.write(encoded, encoded.length / 2, encoded.length - encoded.length / 2);
      }
      Frame frame = stream.next(WAIT);
      assertNotNull(frame, "the completed file");
      assertEquals(4, frame.image().width());
    }
  }

  @Test
  void filesReadyWhileNoReaderIsSubscribedWaitForTheNextReader() throws Exception {
    LiveFolderStream first = watch(false);
    first.close();
    Files.move(png(staging.resolve("a.png")), dir.resolve("a.png"), StandardCopyOption.ATOMIC_MOVE);
    Thread.sleep(SETTLE.toMillis() * 4);
    try (LiveFolderStream second = new LiveFolderStream(watcher.subscribe(), new FolderLayout(dir, true, "", "", ""), Map.of())) {
      Frame frame = second.next(WAIT);
      assertNotNull(frame);
      assertEquals("a.png", frame.id());
    }
  }

  @Test
  void existingFilesAreDeliveredWhenAsked() throws Exception {
    png(dir.resolve("old.png"));
    try (LiveFolderStream stream = watch(true)) {
      assertEquals("old.png", stream.next(WAIT).id());
      assertFalse(stream.isExhausted());
    }
  }
}
