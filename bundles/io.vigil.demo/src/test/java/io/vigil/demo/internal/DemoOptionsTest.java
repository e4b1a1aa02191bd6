package io.vigil.demo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.command.CommandContext;
import io.vigil.api.inspection.Station;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class DemoOptionsTest {
  private static final Path HERE = Path.of("/srv/vigil");

  @Test
  void defaultsGenerateTrainSimpleNetSmallAndFast() {
    DemoOptions options = parse();
    assertNull(options.data());
    assertEquals(HERE.resolve("demo"), options.work());
    assertEquals("simplenet", options.algorithm());
    assertEquals(4, options.epochs());
    assertEquals(128, options.inputSize());
    assertFalse(options.retrain());
    assertNull(options.screenshot());
  }

  @Test
  void pathsResolveAgainstTheWorkingDirectory() {
    DemoOptions options = parse("--data", "tiles", "--screenshot", "out/demo.png", "--after", "5",
        "--algorithm", "efficientad", "--retrain", "--epochs", "2");
    assertEquals(HERE.resolve("tiles"), options.data());
    assertEquals(HERE.resolve("out/demo.png"), options.screenshot());
    assertEquals(5, options.after());
    assertEquals("efficientad", options.algorithm());
    assertTrue(options.retrain());
    assertEquals(2, options.epochs());
  }

  @Test
  void badArgumentsSayWhatIsWrong() {
    assertTrue(assertThrows(ParameterException.class, () -> parse("--epochs", "0"))
        .getMessage().contains("positive"));
    assertTrue(assertThrows(ParameterException.class, () -> parse("--after", "3"))
        .getMessage().contains("--screenshot"));
    assertTrue(assertThrows(ParameterException.class, () -> parse("--speed"))
        .getMessage().contains("'--speed'"));
  }

  /** The demo's options as picocli parses them; nothing runs. */
  private static DemoOptions parse(String... arguments) {
    DemoCommand.Demo demo = (DemoCommand.Demo) new DemoCommand(null, null, null).newCommand(new Context());
    new CommandLine(demo).parseArgs(arguments);
    return demo.options();
  }

  private static final class Context implements CommandContext {
    @Override
    public PrintStream out() {
      return System.out;
    }

    @Override
    public PrintStream err() {
      return System.err;
    }

    @Override
    public InputStream in() {
      return InputStream.nullInputStream();
    }

    @Override
    public Path workingDirectory() {
      return HERE;
    }

    @Override
    public boolean interactive() {
      return false;
    }
  }

  @Test
  void modelsAreNamedAfterTheirDataAndAlgorithm() {
    assertEquals("demo-simplenet", DemoCommand.modelName(null, "simplenet"));
    assertEquals("magnetic_tile-simplenet", DemoCommand.modelName(Path.of("/data/magnetic_tile"), "simplenet"));
    assertEquals("my_tiles-x", DemoCommand.modelName(Path.of("/data/my tiles"), "x"));
  }

  @Test
  void theStationIsPointedAtTheDemoAndKeepsUnrelatedSettings() {
    Dictionary<String, Object> previous = new Hashtable<>(Map.of("poll.timeout.ms", 50L, Station.THRESHOLD, 0.3));
    Dictionary<String, Object> settings = DemoCommand.stationSettings(previous, "demo-simplenet");
    assertEquals("(vigil.source.name=demo-test)", settings.get(Station.SOURCE_TARGET));
    assertEquals("(vigil.detector.name=demo-simplenet)", settings.get(Station.DETECTOR_TARGET));
    assertEquals(true, settings.get(Station.REPEAT_FINITE));
    assertEquals(50L, settings.get("poll.timeout.ms"));
    assertNull(settings.get(Station.THRESHOLD), "the model's own threshold");
  }
}
