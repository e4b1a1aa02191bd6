package io.vigil.itest.ui;

import static io.vigil.itest.ui.UiDriver.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandDispatcher;
import io.vigil.api.command.CommandContext;
import io.vigil.api.detector.Decision;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.Station;
import io.vigil.api.source.ImageSource;
import io.vigil.image.ImageFiles;
import io.vigil.itest.ui.UiFixtures.Collector;
import io.vigil.itest.ui.UiFixtures.PatternSource;
import io.vigil.itest.ui.UiFixtures.SpotDetector;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * ./vigil demo and ./vigil ui --screenshot as a user runs them: the command on this thread, which
 * becomes the UI thread, until the screenshot is saved.
 */
class CommandsTest {
  private final BundleContext context = FrameworkUtil.getBundle(CommandsTest.class).getBundleContext();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private final Collector collector = new Collector();
  @TempDir Path work;

  @AfterEach
  void tearDown() {
    registrations.forEach(ServiceRegistration::unregister);
  }

  @Test
  void theDemoGeneratesTrainsInspectsAndSavesAScreenshotOfTheLiveView() throws Exception {
    register(DetectorFactory.class, new FixtureFactory("fixture", Duration.ZERO), Map.of(Detector.ALGORITHM_PROPERTY, "fixture"));
    register(ResultSink.class, collector, Map.of());
    Path shot = screenshots().resolve("demo-live.png");
    Files.deleteIfExists(shot);

    Console console = new Console(work);
    int status = command("demo").run(List.of("--algorithm", "fixture", "--work", "demo", "--epochs", "2",
        "--screenshot", shot.toString(), "--after", "30", "--timeout", "120"), console);

    assertEquals(0, status, console.all());
    assertTrue(console.printed().contains("Generating the synthetic data set (68 images)"), console.printed());
    assertTrue(console.printed().contains("Training 'demo-fixture' (fixture, 2 epochs, 128 px)"), console.printed());
    assertTrue(console.printed().contains("Screenshot saved after 30 results"), console.printed());
    assertTrue(Files.isRegularFile(work.resolve("demo/data/test/hole/000.png")));
    assertTrue(WorkbenchTest.distinctColours(ImageFiles.read(shot)) > 100, "the screenshot shows the live view");

    List<InspectionResult> demo = collector.results.stream().filter(r -> "demo-test".equals(r.sourceName())).toList();
    assertTrue(demo.size() >= 30, "results seen: " + demo.size());
    assertTrue(demo.stream().allMatch(r -> "demo-fixture".equals(r.detectorName())));
    long holesRejected = demo.stream().filter(r -> r.frameId().contains("/hole/"))
        .filter(r -> r.detection().decision() == Decision.NOK).count();
    long goodPassed = demo.stream().filter(r -> r.frameId().contains("/good/"))
        .filter(r -> r.detection().decision() == Decision.OK).count();
    assertTrue(holesRejected > 0 && goodPassed > 0, "holes rejected " + holesRejected + ", good passed " + goodPassed);

    // Afterwards the station is back on its own configuration and the demo's services are gone.
    ConfigurationAdmin admin = context.getService(context.getServiceReference(ConfigurationAdmin.class));
    assertNull(admin.getConfiguration(Station.PID, "?").getProperties(), "the station's configuration restored");
    assertTrue(context.getServiceReferences(ImageSource.class, "(vigil.source.name=demo-test)").isEmpty());

    // A second run reuses the data and the model.
    Console again = new Console(work);
    assertEquals(0, command("demo").run(List.of("--algorithm", "fixture", "--work", "demo", "--screenshot",
        shot.toString(), "--after", "3"), again), again.all());
    assertTrue(again.printed().contains("Loading the model trained by an earlier demo"), again.printed());
    assertTrue(!again.printed().contains("Generating"), again.printed());
  }

  @Test
  void theDemoSaysWhichFactoriesThereAreWhenItsAlgorithmIsMissing() throws Exception {
    register(DetectorFactory.class, new FixtureFactory("fixture", Duration.ZERO), Map.of(Detector.ALGORITHM_PROPERTY, "fixture"));
    Console console = new Console(work);
    java.io.IOException missing = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> command("demo").run(List.of("--algorithm", "nonesuch", "--work", "demo"), console));
    assertTrue(missing.getMessage().contains("no detector factory for 'nonesuch' is installed (installed: fixture;"),
        missing.getMessage());
    // It gave up because nothing was starting, not because its long deadline ran out.
    assertTrue(missing.getMessage().contains("no bundle is starting that could bring it"), missing.getMessage());
  }

  @Test
  void uiWithScreenshotWaitsForResultsAndSavesTheWindow() throws Exception {
    register(ImageSource.class, new PatternSource("line-ui", 100_000, Duration.ofMillis(20), 110),
        Map.of(ImageSource.NAME_PROPERTY, "line-ui"));
    register(Detector.class, new SpotDetector("spot-ui", 0.7), Map.of(Detector.NAME_PROPERTY, "spot-ui"));
    register(ResultSink.class, collector, Map.of());
    Path shot = screenshots().resolve("ui-command-live.png");
    Files.deleteIfExists(shot);
    Console console = new Console(work);
    int status = command("ui").run(List.of("--view", "live", "--screenshot", shot.toString(), "--after", "10"), console);
    assertEquals(0, status, console.all());
    assertTrue(console.printed().contains("Screenshot saved: " + shot), console.printed());
    assertTrue(collector.results.size() >= 10);
    assertEquals(1280, ImageFiles.read(shot).width());
  }

  @Test
  void uiWithScreenshotGivesUpWhenNoResultsCome() throws Exception {
    Console console = new Console(work);
    Path shot = screenshots().resolve("never.png");
    Files.deleteIfExists(shot);
    int status = command("ui").run(List.of("--screenshot", shot.toString(), "--after", "5", "--timeout", "2"), console);
    assertEquals(1, status, console.all());
    assertTrue(console.errors().contains("only 0 of 5 inspection results arrived within 2 s"), console.errors());
    assertTrue(!Files.exists(shot));
  }

  /** The verb as ./vigil runs it: through the command line service, with picocli's parsing. */
  private Verb command(String name) throws Exception {
    await(() -> {
      try {
        return context.getServiceReference(CommandDispatcher.class) != null
            && !context.getServiceReferences(Command.class, "(vigil.command.name=" + name + ")").isEmpty();
      } catch (org.osgi.framework.InvalidSyntaxException e) {
        throw new IllegalStateException(e);
      }
    }, () -> "the " + name + " command");
    CommandDispatcher vigil = context.getService(context.getServiceReference(CommandDispatcher.class));
    return (arguments, console) -> vigil.run(
        java.util.stream.Stream.concat(java.util.stream.Stream.of(name), arguments.stream()).toList(), console);
  }

  /** {@code ./vigil NAME ARGUMENTS}. */
  interface Verb {
    int run(List<String> arguments, CommandContext console) throws Exception;
  }


  private static Path screenshots() throws Exception {
    Path directory = Path.of(System.getProperty("vigil.screenshots.dir", "target/screenshots"));
    return Files.createDirectories(directory);
  }

  private <S> void register(Class<S> type, S service, Map<String, Object> properties) {
    registrations.add(context.registerService(type, service, new Hashtable<>(properties)));
  }

  /** Captures a command's output; relative paths resolve against {@code directory}. */
  static final class Console implements CommandContext {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    private final Path directory;

    Console(Path directory) {
      this.directory = directory;
    }

    @Override
    public PrintStream out() {
      return outStream;
    }

    @Override
    public PrintStream err() {
      return errStream;
    }

    @Override
    public InputStream in() {
      return InputStream.nullInputStream();
    }

    @Override
    public Path workingDirectory() {
      return directory;
    }

    @Override
    public boolean interactive() {
      return false;
    }

    String printed() {
      return out.toString(StandardCharsets.UTF_8);
    }

    String errors() {
      return err.toString(StandardCharsets.UTF_8);
    }

    String all() {
      return printed() + errors();
    }
  }
}
