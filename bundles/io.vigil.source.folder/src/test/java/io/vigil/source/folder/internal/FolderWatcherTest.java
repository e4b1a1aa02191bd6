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
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderWatcherTest {
  private static final Duration SETTLE = Duration.ofMillis(150);
  /** Bounds how long a failing test waits; generous, since CI machines may be loaded. */
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;
  @TempDir Path staging;
  private FolderWatcher watcher;

  @AfterEach
  void stop() throws InterruptedException {
    if (watcher != null) {
      watcher.close();
    }
  }

  private void moveIn(Path staged, String name) throws IOException {
    Files.move(staged, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
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
      // Each file arrives whole (written aside, moved in), so nothing here depends on how fast this machine writes.
      moveIn(png(staging.resolve("one.png")), "one.png");
      Frame one = stream.next(WAIT);
      assertNotNull(one, "the copied file");
      assertEquals("one.png", one.id());

      moveIn(Files.write(staging.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0}),
          "broken.png");
      FrameReadException error = assertThrows(FrameReadException.class, () -> stream.next(WAIT));
      assertTrue(error.origin().endsWith("broken.png"), error.origin());

      Files.createDirectories(dir.resolve("later"));
      moveIn(png(staging.resolve("two.png")), "later/two.png");
      assertEquals("later/two.png", stream.next(WAIT).id());
      assertNull(stream.next(Duration.ofMillis(600)), "before.png was there already: not delivered");
    }
  }

  @Test
  void aFileStillBeingWrittenWaitsUntilItSettles() throws Exception {
    // The watcher measures settling on this test's clock: stopped, no file can settle however long
    // this machine stalls the writer; advanced, it settles.
    AtomicLong clock = new AtomicLong();
    byte[] encoded = Files.readAllBytes(png(staging.resolve("slow.png")));
    FolderLayout layout = new FolderLayout(dir, true, "", "", "");
    watcher = new FolderWatcher("test", layout, new FolderWatcher.Settings(SETTLE, Duration.ofMillis(500), 100, false),
        clock::get);
    watcher.start();
    try (LiveFolderStream stream = new LiveFolderStream(watcher.subscribe(), layout, Map.of())) {
      Path target = dir.resolve("slow.png");
      try (OutputStream out = Files.newOutputStream(target)) {
        out.write(encoded, 0, encoded.length / 2);
        out.flush();
        assertNull(stream.next(Duration.ofMillis(300)), "nothing while the file is being written");
        out.write(encoded, encoded.length / 2, encoded.length - encoded.length / 2);
      }
      // Only now does time pass: the file settles with its final size, never the half-written one.
      Frame frame = null;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (frame == null && System.nanoTime() < deadline) {
        clock.addAndGet(SETTLE.toNanos());
        frame = stream.next(Duration.ofMillis(50));
      }
      assertNotNull(frame, "the completed file");
      assertEquals(4, frame.image().width());
    }
  }

  @Test
  void filesReadyWhileNoReaderIsSubscribedWaitForTheNextReader() throws Exception {
    LiveFolderStream first = watch(false);
    first.close();
    moveIn(png(staging.resolve("a.png")), "a.png");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (watcher.backlogSize() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(1, watcher.backlogSize(), "a.png waits for a reader");
    try (LiveFolderStream second = new LiveFolderStream(watcher.subscribe(), new FolderLayout(dir, true, "", "", ""), Map.of())) {
      Frame frame = second.next(WAIT);
      assertNotNull(frame);
      assertEquals("a.png", frame.id());
    }
  }

  @Test
  void aDeletedFolderIsReportedOnceAndWatchedAgainWhenCreatedAgain() throws Exception {
    Path folder = dir.resolve("incoming");
    Files.createDirectories(folder);
    FolderLayout layout = new FolderLayout(folder, true, "", "", "");
    watcher = new FolderWatcher("test", layout, new FolderWatcher.Settings(SETTLE, Duration.ofMillis(200), 100, false));
    watcher.start();
    LiveFolderStream stream = new LiveFolderStream(watcher.subscribe(), layout, Map.of());
    try {
      Files.move(png(staging.resolve("a.png")), folder.resolve("a.png"), StandardCopyOption.ATOMIC_MOVE);
      assertEquals("a.png", stream.next(WAIT).id());

      Files.delete(folder.resolve("a.png"));
      Files.delete(folder);
      // The reader hears of it once: its stream fails, naming the folder and what the watcher does.
      java.nio.file.NoSuchFileException lost = null;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (lost == null && System.nanoTime() < deadline) {
        try {
          assertNull(stream.next(Duration.ofMillis(50)));
        } catch (java.nio.file.NoSuchFileException e) {
          lost = e;
        }
      }
      assertNotNull(lost, "the deletion was not reported");
      assertTrue(lost.getMessage().contains(folder.toString()) && lost.getMessage().contains("was deleted"),
          lost.getMessage());
      assertTrue(watcher.state().contains("waiting for it to be created again"), watcher.state());
      assertNull(stream.next(Duration.ofMillis(50)), "reported once only");

      // Created again, with a file of the old name: a new file, delivered on the same stream.
      Files.createDirectories(folder);
      Files.move(png(staging.resolve("a2.png")), folder.resolve("a.png"), StandardCopyOption.ATOMIC_MOVE);
      Frame again = stream.next(WAIT);
      assertNotNull(again, "nothing from the folder created again");
      assertEquals("a.png", again.id());
      assertTrue(watcher.state().startsWith("watching " + folder + " (there again since"), watcher.state());
      Files.move(png(staging.resolve("b.png")), folder.resolve("b.png"), StandardCopyOption.ATOMIC_MOVE);
      assertEquals("b.png", stream.next(WAIT).id(), "later files in it too");
    } finally {
      stream.close();
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
