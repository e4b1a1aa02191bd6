package io.vigil.dataset.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Image;
import io.vigil.image.ImageFiles;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class CaptureFolderTest {
  @TempDir
  Path root;

  public static Image grey(int value) {
    byte[] pixels = new byte[6 * 4];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (value + i);
    }
    return Image.of8Bit(6, 4, 1, pixels);
  }

  @Test
  void createsTheLayoutAndNumbersFromZero() throws Exception {
    CaptureFolder folder = CaptureFolder.create(root, "test/scratch");
    assertTrue(Files.isDirectory(root.resolve("train/good")));
    assertTrue(Files.isDirectory(root.resolve("ground_truth")));
    assertEquals(root.resolve("test/scratch/000.png"), folder.write(grey(1)));
    assertEquals(root.resolve("test/scratch/001.png"), folder.write(grey(2)));
    assertEquals("test/scratch", folder.name());
  }

  @Test
  void continuesAfterTheHighestNumberAndNeverReplacesAFile() throws Exception {
    Path good = Files.createDirectories(root.resolve("train/good"));
    byte[] kept = "not really a png".getBytes();
    Files.write(good.resolve("000.png"), kept);
    Files.write(good.resolve("007.jpg"), kept);
    Files.write(good.resolve("photo.png"), kept); // not numbered: does not count
    CaptureFolder folder = CaptureFolder.create(root, "train/good");
    assertEquals(8, folder.nextNumber());
    assertEquals(good.resolve("008.png"), folder.write(grey(3)));
    assertArrayEquals(kept, Files.readAllBytes(good.resolve("000.png")));
    assertArrayEquals(kept, Files.readAllBytes(good.resolve("007.jpg")));
    assertEquals(9, folder.nextNumber());
  }

  @Test
  void keepsTheWidthOfLongerNumbers() throws Exception {
    Path good = Files.createDirectories(root.resolve("test/good"));
    Files.write(good.resolve("0041.png"), new byte[1]);
    assertEquals(good.resolve("0042.png"), CaptureFolder.create(root, "test/good").write(grey(4)));
  }

  @Test
  void publishRefusesATakenName() throws Exception {
    Path target = Files.writeString(root.resolve("005.png"), "first");
    Path partial = Files.writeString(root.resolve(".partial"), "second");
    assertThrows(FileAlreadyExistsException.class, () -> CaptureFolder.publish(partial, target));
    assertEquals("first", Files.readString(target));
  }

  @Test
  void writersAtTheSameTimeGetDistinctNumbers() throws Exception {
    CaptureFolder first = CaptureFolder.create(root, "train/good");
    CaptureFolder second = CaptureFolder.create(root, "train/good");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Set<Path> written = ConcurrentHashMap.newKeySet();
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (CaptureFolder folder : List.of(first, second)) {
        jobs.add(pool.submit(() -> {
          for (int i = 0; i < 10; i++) {
            written.add(folder.write(grey(i)));
          }
          return null;
        }));
      }
      for (Future<?> job : jobs) {
        job.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(20, written.size());
    try (Stream<Path> files = Files.list(root.resolve("train/good"))) {
      assertEquals(20, files.count(), "20 images and no temporary files left");
    }
  }

  @Test
  void eightAndSixteenBitImagesReadBackSampleForSample() throws Exception {
    CaptureFolder folder = CaptureFolder.create(root, "train/good");
    Image eight = grey(100);
    short[] deep = new short[5 * 3 * 3];
    for (int i = 0; i < deep.length; i++) {
      deep[i] = (short) (i * 1409 + 3);
    }
    Image sixteen = Image.of16Bit(5, 3, 3, deep);
    Image eightBack = ImageFiles.read(folder.write(eight));
    Image sixteenBack = ImageFiles.read(folder.write(sixteen));
    assertEquals(1, eightBack.channels());
    assertArrayEquals(eight.pixels8(), eightBack.pixels8());
    assertEquals(16, sixteenBack.bitDepth());
    assertEquals(3, sixteenBack.channels());
    assertArrayEquals(deep, sixteenBack.pixels16());
  }

  @Test
  void refusesOtherFolders() {
    for (String as : List.of("train/scratch", "validation/good", "test", "test/good/x", "test/../x", "test/ground_truth")) {
      assertThrows(IllegalArgumentException.class, () -> CaptureFolder.parse(root, as), as);
    }
  }
}
