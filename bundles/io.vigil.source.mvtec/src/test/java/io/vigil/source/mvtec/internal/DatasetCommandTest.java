package io.vigil.source.mvtec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.command.CommandContext;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.DatasetItem;
import java.lang.reflect.Proxy;
import org.osgi.framework.ServiceReference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCommandTest {
  @TempDir Path dir;

  @Test
  void summaryCountsGoodDefectsByTypeAndUnlabelled() {
    Path p = Path.of("x.png");
    List<DatasetItem> items = List.of(
        new DatasetItem("a", p, "good", null), new DatasetItem("b", p, "crack", p),
        new DatasetItem("c", p, "crack", p), new DatasetItem("d", p, "hole", p), new DatasetItem("e", p, null, null));
    assertEquals("5 images, 1 good, 3 defective {crack=2, hole=1}, 1 unlabelled", DatasetCommand.summary(items));
  }

  @Test
  void defectiveImagesWithoutTheirMaskAreCountedAndNamed() throws Exception {
    Path bottle = Layouts.mvtecAd(dir.resolve("bottle"), "png");
    Layouts.image(bottle.resolve("test/hole/000.png"), 8, 6);
    Files.delete(bottle.resolve("ground_truth/crack/001_mask.png"));
    // The split is refused where frames are read (training, evaluation) ...
    assertThrows(NoSuchFileException.class, () -> new MvtecAdFormat().items(bottle, "test"));

    // ... and reported by ./vigil dataset.
    DatasetCommand command = new DatasetCommand();
    command.bindFormat(reference(), new MvtecAdFormat());
    Console console = new Console(dir);
    // As ./vigil runs it: picocli parses the arguments into the command object, then calls it.
    assertEquals(0, new picocli.CommandLine(command.newCommand(console)).execute("bottle"),
        console.err.toString(StandardCharsets.UTF_8));
    String printed = console.out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("train: 2 images, 2 good" + System.lineSeparator()), printed);
    assertTrue(printed.contains("test: 4 images, 1 good, 3 defective {crack=2, hole=1}, "
        + "2 defective without a mask: test/crack/001.png, test/hole/000.png"), printed);
  }

  @Test
  void aLongListOfImagesWithoutMaskIsCut() {
    List<String> ids = IntStream.range(0, 13).mapToObj(i -> "test/x/" + i + ".png").toList();
    String line = DatasetCommand.withoutMask(ids);
    assertTrue(line.startsWith(", 13 defective without a mask: test/x/0.png, "), line);
    assertTrue(line.endsWith("test/x/9.png and 3 more"), line);
    assertEquals("", DatasetCommand.withoutMask(List.of()));
  }

  /** A service reference for binding by hand: equal to itself, no properties. */
  @SuppressWarnings("unchecked")
  private static ServiceReference<DatasetFormat> reference() {
    return (ServiceReference<DatasetFormat>) Proxy.newProxyInstance(DatasetCommandTest.class.getClassLoader(),
        new Class<?>[] {ServiceReference.class}, (proxy, method, arguments) -> switch (method.getName()) {
          case "compareTo" -> 0;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == arguments[0];
          default -> null;
        });
  }

  private static final class Console implements CommandContext {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Path directory;

    Console(Path directory) {
      this.directory = directory;
    }

    @Override
    public PrintStream out() {
      return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    @Override
    public PrintStream err() {
      return new PrintStream(err, true, StandardCharsets.UTF_8);
    }

    @Override
    public InputStream in() {
      return new ByteArrayInputStream(new byte[0]);
    }

    @Override
    public Path workingDirectory() {
      return directory;
    }

    @Override
    public boolean interactive() {
      return false;
    }
  }
}
