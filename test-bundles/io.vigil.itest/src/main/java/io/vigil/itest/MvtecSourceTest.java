package io.vigil.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Frame;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Mask;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.DatasetItem;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.image.ImageFiles;
import io.vigil.image.ImageSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** The MVTec source on the real magnetic tile data set in ../shared, through the OSGi services. */
class MvtecSourceTest {
  private static final String SOURCE = "itest-tiles";
  private final OsgiSupport osgi = new OsgiSupport();

  @AfterEach
  void cleanUp() throws Exception {
    osgi.cleanUp();
    osgi.awaitSourceGone(SOURCE);
    osgi.awaitSourceGone(SOURCE + "-train");
  }

  @Test
  void everyDataSetFormatIsRegisteredAndThePlainFolderRanksLast() throws Exception {
    Collection<ServiceReference<DatasetFormat>> references = osgi.context.getServiceReferences(DatasetFormat.class, null);
    Map<String, Integer> ranking = new TreeMap<>();
    for (ServiceReference<DatasetFormat> reference : references) {
      Object rank = reference.getProperty(Constants.SERVICE_RANKING);
      ranking.put((String) reference.getProperty(DatasetFormat.NAME_PROPERTY), rank == null ? 0 : (Integer) rank);
    }
    assertEquals(Set.of("mvtec-ad", "mvtec-3d-ad", "mvtec-ad-2", "visa", "folder"), ranking.keySet());
    assertTrue(ranking.get("folder") < ranking.get("mvtec-ad"), ranking.toString());
  }

  @Test
  void magneticTilesYield761TrainAnd579TestFramesWith388DefectsWithMasksOfTheirImageSize() throws Exception {
    Path tiles = OsgiSupport.sharedDataset("magnetic_tile");
    DatasetFormat mvtec = format("mvtec-ad");
    assertTrue(mvtec.recognizes(tiles));
    assertTrue(format("folder").recognizes(tiles), "the plain folder recognises it too, ranked lower");
    assertEquals(List.of("train", "test"), mvtec.splits(tiles));

    List<DatasetItem> train = mvtec.items(tiles, "train");
    assertEquals(761, train.size());
    assertTrue(train.stream().noneMatch(DatasetItem::anomalous));

    List<DatasetItem> test = mvtec.items(tiles, "test");
    assertEquals(579, test.size());
    List<DatasetItem> defective = test.stream().filter(DatasetItem::anomalous).toList();
    assertEquals(388, defective.size());
    assertEquals(Map.of("blowhole", 115L, "break", 85L, "crack", 57L, "fray", 32L, "uneven", 99L),
        defective.stream().collect(Collectors.groupingBy(DatasetItem::defectType, Collectors.counting())));
    // Masks decoded (they are small), images only read to their header: size must match.
    for (DatasetItem item : defective) {
      assertNotNull(item.mask(), item.id());
      Mask mask = ImageFiles.readMask(item.mask());
      assertFalse(mask.isEmpty(), "empty mask " + item.mask());
      ImageSize image = ImageFiles.readSize(item.image());
      assertEquals(image, new ImageSize(mask.width(), mask.height()), "mask size of " + item.id());
    }
  }

  @Test
  void aFactoryConfigurationMakesASourceWhoseFramesCarryTheirGroundTruth() throws Exception {
    Path tiles = OsgiSupport.sharedDataset("magnetic_tile");
    osgi.pinStationSource("itest-nothing"); // keep the station away from this source
    osgi.createFactoryConfiguration("io.vigil.source.mvtec",
        Map.of("vigil.source.name", SOURCE, "root", tiles.toString(), "split", "test"));
    ImageSource source = osgi.awaitSource(SOURCE);
    assertTrue(source.isFinite());
    try (FrameStream stream = source.open()) {
      assertEquals(579, stream.size().getAsInt());
      // The first frames in order: blowhole (the first defect type by name).
      for (int i = 0; i < 3; i++) {
        Frame frame = stream.next(Duration.ofSeconds(60));
        GroundTruth truth = frame.groundTruth();
        assertNotNull(truth, frame.id());
        assertEquals("blowhole", truth.defectType());
        assertTrue(frame.id().startsWith("test/blowhole/"), frame.id());
        assertEquals(frame.image().width(), truth.mask().width());
        assertEquals(frame.image().height(), truth.mask().height());
        assertFalse(truth.mask().isEmpty());
        assertEquals(1, frame.image().channels(), "grey JPEG stays grey");
      }
    }

    osgi.createFactoryConfiguration("io.vigil.source.mvtec",
        Map.of("vigil.source.name", SOURCE + "-train", "root", tiles.toString(), "split", "train"));
    try (FrameStream train = osgi.awaitSource(SOURCE + "-train").open()) {
      assertEquals(761, train.size().getAsInt());
      Frame first = train.next(Duration.ofSeconds(60));
      assertFalse(first.groundTruth().anomalous());
      assertTrue(first.groundTruth().mask().isEmpty(), "good frames carry an all-zero mask");
    }
  }

  private DatasetFormat format(String name) throws Exception {
    Collection<ServiceReference<DatasetFormat>> references =
        osgi.context.getServiceReferences(DatasetFormat.class, "(" + DatasetFormat.NAME_PROPERTY + "=" + name + ")");
    assertEquals(1, references.size(), "format " + name);
    return osgi.context.getService(references.iterator().next());
  }
}
