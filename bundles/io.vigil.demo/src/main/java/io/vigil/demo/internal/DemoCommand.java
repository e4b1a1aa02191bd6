package io.vigil.demo.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.inspection.Station;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.ImageSource;
import io.vigil.cli.ProgressBar;
import io.vigil.dataset.synthetic.SyntheticDataset;
import io.vigil.ui.swt.Workbench;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.io.file.PathUtils;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTracker;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./vigil demo}: the whole station on one screen with nothing to download but the backbone
 * weights. Generates the synthetic data set (unless {@code --data} names one), trains a model on
 * its good images through the detector factory of the chosen algorithm (SimpleNet by default),
 * points the station at the test images and opens the workbench on the live view. The station's
 * configuration is restored when the window closes.
 */
@Component(property = Command.NAME_PROPERTY + "=demo")
public class DemoCommand implements Command {
  static final String SOURCE_NAME = "demo-test";
  /** Detector bundles (DJL, the backbone) may still be starting when the command runs. */
  private static final long FACTORY_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(60);
  /** Once no bundle has been starting for this long, a missing factory is not coming. */
  private static final long QUIET_MILLIS = 2000;

  private final BundleContext context;
  private final Workbench workbench;
  private final ConfigurationAdmin configurationAdmin;

  @Activate
  public DemoCommand(BundleContext context, @Reference Workbench workbench,
      @Reference ConfigurationAdmin configurationAdmin) {
    this.context = context;
    this.workbench = workbench;
    this.configurationAdmin = configurationAdmin;
  }

  @Override
  public Callable<Integer> newCommand(CommandContext console) {
    return new Demo(console);
  }

  @picocli.CommandLine.Command(name = "demo",
      description = {"Train SimpleNet on a generated data set and watch it inspect the test images live.",
          "Trains a detector on the good images of a data set and opens the live view on its test images."},
      footer = "Without a screen, run it under a virtual one: xvfb-run -a ./vigil demo ...")
  final class Demo implements Callable<Integer> {
    private final CommandContext console;
    @Spec CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
        description = "an MVTec-layout category to use (default: generate the synthetic one in WORK/data)")
    Path data;
    @Option(names = "--work", paramLabel = "DIR", description = "where the generated data and the model go (default: ./demo)")
    Path work = Path.of("demo");
    @Option(names = "--models", paramLabel = "DIR",
        description = "backbone weights folder (default: VIGIL_MODEL_PATH, ~/.vigil/models, download)")
    Path models;
    @Option(names = "--algorithm", paramLabel = "NAME", description = "detector factory to train with (default: ${DEFAULT-VALUE})")
    String algorithm = DemoOptions.DEFAULT_ALGORITHM;
    @Option(names = "--epochs", paramLabel = "N", description = "training epochs (default: ${DEFAULT-VALUE})")
    int epochs = DemoOptions.DEFAULT_EPOCHS;
    @Option(names = "--input-size", paramLabel = "PX", description = "detector input size (default: ${DEFAULT-VALUE})")
    int inputSize = DemoOptions.DEFAULT_INPUT_SIZE;
    @Option(names = "--retrain", description = "train again even if WORK/models holds a model from an earlier run")
    boolean retrain;
    @Option(names = "--screenshot", paramLabel = "FILE.png", description = "save a PNG of the window after N results and exit")
    Path screenshot;
    @Option(names = "--after", paramLabel = "N", description = "results before the screenshot (default: ${DEFAULT-VALUE})")
    int after = 20;
    @Option(names = "--timeout", paramLabel = "S", description = "how long to wait for them, in seconds (default: ${DEFAULT-VALUE})")
    int timeout = 300;

    Demo(CommandContext console) {
      this.console = console;
    }

    /** The options, resolved against the working directory and checked together. */
    DemoOptions options() {
      for (var number : Map.of("--epochs", epochs, "--input-size", inputSize, "--after", after, "--timeout", timeout)
          .entrySet()) {
        if (number.getValue() <= 0) {
          throw new ParameterException(spec.commandLine(), number.getKey() + " must be positive, not " + number.getValue());
        }
      }
      if (screenshot == null && spec.commandLine().getParseResult().hasMatchedOption("--after")) {
        throw new ParameterException(spec.commandLine(), "--after needs --screenshot FILE");
      }
      Path here = console.workingDirectory();
      return new DemoOptions(data == null ? null : here.resolve(data).normalize(), here.resolve(work).normalize(),
          models == null ? null : here.resolve(models).normalize(), algorithm, epochs, inputSize, retrain,
          screenshot == null ? null : here.resolve(screenshot).normalize(), after, Duration.ofSeconds(timeout));
    }

    @Override
    public Integer call() throws Exception {
      return run(options(), console);
    }
  }

  private int run(DemoOptions options, CommandContext console) throws Exception {
    PrintStream out = console.out();
    DetectorFactory factory = factory(options.algorithm(), out);
    Path data = options.data() != null ? options.data() : generate(options.work().resolve("data"), out, console.err(), console.interactive());
    DatasetFormat format = formatOf(data);
    out.println("Data set: " + data + " (" + format.name() + ")");
    Detector detector = model(factory, format, data, options, console);

    List<ServiceRegistration<?>> registrations = new ArrayList<>();
    Configuration station = configurationAdmin.getConfiguration(Station.PID, "?");
    Dictionary<String, Object> previous = station.getProperties();
    try {
      if (!isRegistered(detector.name())) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Detector.NAME_PROPERTY, detector.name());
        properties.put(Detector.ALGORITHM_PROPERTY, detector.algorithm());
        registrations.add(context.registerService(Detector.class, detector, properties));
      }
      ImageSource test = new NamedSource(SOURCE_NAME, format.open(data, "test"));
      registrations.add(context.registerService(ImageSource.class, test,
          new Hashtable<>(Map.of(ImageSource.NAME_PROPERTY, SOURCE_NAME))));
      station.update(stationSettings(previous, detector.name()));
      out.println("The station inspects " + data.resolve("test") + " with '" + detector.name()
          + "', over and over; close the window to stop.");
      Workbench.Options window = options.screenshot() == null
          ? Workbench.Options.interactive("live")
          : Workbench.Options.screenshot("live", options.screenshot(), options.after(), options.timeout());
      try {
        workbench.run(window);
      } catch (TimeoutException e) {
        console.err().println("vigil demo: " + e.getMessage());
        return 1;
      }
      if (options.screenshot() != null) {
        out.println("Screenshot saved after " + options.after() + " results: " + options.screenshot());
      }
      return 0;
    } finally {
      restore(station, previous);
      for (ServiceRegistration<?> registration : registrations) {
        registration.unregister();
      }
    }
  }

  private static Path generate(Path root, PrintStream out, PrintStream err, boolean terminal) throws IOException, InterruptedException {
    SyntheticDataset.Spec spec = SyntheticDataset.Spec.defaults();
    if (SyntheticDataset.isComplete(root, spec)) {
      return root;
    }
    out.println("Generating the synthetic data set (" + spec.imageCount() + " images) in " + root);
    ProgressBar bar = new ProgressBar(err, terminal, "images");
    SyntheticDataset.generate(root, spec, (done, total) -> bar.update("generating", done, total, null));
    bar.finish();
    return root;
  }

  /** The most specific registered format that reads {@code root}. */
  private DatasetFormat formatOf(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException("no data set folder at " + root);
    }
    List<ServiceReference<DatasetFormat>> references = references(DatasetFormat.class, null);
    references.sort(Comparator.<ServiceReference<DatasetFormat>>naturalOrder().reversed());
    for (ServiceReference<DatasetFormat> reference : references) {
      DatasetFormat format = context.getService(reference);
      if (format != null && format.recognizes(root)) {
        if (!format.categories(root).isEmpty()) {
          throw new IOException(root + " holds several categories; pass one: --data " + root.resolve(
              format.categories(root).get(0)));
        }
        if (!format.splits(root).containsAll(List.of("train", "test"))) {
          throw new IOException(root + " needs a train and a test split; " + format.name() + " finds "
              + format.splits(root));
        }
        return format;
      }
    }
    throw new IOException("no installed data set format reads " + root
        + " (install io.vigil.source.mvtec for the MVTec layout)");
  }

  private DetectorFactory factory(String algorithm, PrintStream out) throws InterruptedException, IOException {
    String filter = "(&(" + Constants.OBJECTCLASS + "=" + DetectorFactory.class.getName() + ")("
        + Detector.ALGORITHM_PROPERTY + "=" + algorithm + "))";
    ServiceTracker<DetectorFactory, DetectorFactory> tracker;
    try {
      tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException("bad algorithm name: " + algorithm, e);
    }
    tracker.open();
    try {
      DetectorFactory factory = tracker.getService();
      long deadline = System.currentTimeMillis() + FACTORY_WAIT_MILLIS;
      long quietSince = System.currentTimeMillis();
      while (factory == null && System.currentTimeMillis() < deadline
          && System.currentTimeMillis() - quietSince < QUIET_MILLIS) {
        factory = tracker.waitForService(250);
        if (anyBundleStarting()) {
          quietSince = System.currentTimeMillis();
        }
      }
      if (factory == null) {
        List<String> installed = references(DetectorFactory.class, null).stream()
            .map(r -> String.valueOf(r.getProperty(Detector.ALGORITHM_PROPERTY))).sorted().toList();
        String why = System.currentTimeMillis() < deadline
            ? "no bundle is starting that could bring it"
            : "waited " + TimeUnit.MILLISECONDS.toSeconds(FACTORY_WAIT_MILLIS) + " s for starting bundles";
        throw new IOException("no detector factory for '" + algorithm + "' is installed (installed: "
            + (installed.isEmpty() ? "none" : String.join(", ", installed)) + "; " + why + ")");
      }
      return factory;
    } finally {
      tracker.close();
    }
  }

  private boolean anyBundleStarting() {
    for (org.osgi.framework.Bundle bundle : context.getBundles()) {
      if (bundle.getState() == org.osgi.framework.Bundle.STARTING) {
        return true;
      }
    }
    return false;
  }

  /** The model of an earlier run when there is one (and no --retrain), else a freshly trained one. */
  private Detector model(DetectorFactory factory, DatasetFormat format, Path data, DemoOptions options,
      CommandContext console) throws Exception {
    PrintStream out = console.out();
    String name = modelName(options.data(), options.algorithm());
    Path directory = options.work().resolve("models").resolve(name);
    if (Files.exists(directory) && !options.retrain() && factory.recognizes(directory)) {
      out.println("Loading the model trained by an earlier demo: " + directory + " (--retrain to train again)");
      return factory.load(directory);
    }
    if (Files.exists(directory)) {
      PathUtils.deleteDirectory(directory);
    }
    Files.createDirectories(directory.getParent());
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("name", name);
    parameters.put("epochs", options.epochs());
    parameters.put("input.size", options.inputSize());
    if (options.models() != null) {
      parameters.put("models", options.models().toString());
    }
    out.printf(Locale.ROOT, "Training '%s' (%s, %d epochs, %d px) on %s%n", name, factory.algorithm(),
        options.epochs(), options.inputSize(), data.resolve("train"));
    long start = System.nanoTime();
    ProgressBar bar = new ProgressBar(console.err(), console.interactive(), null);
    Detector detector;
    try {
      detector = factory.train(format.open(data, "train"), Map.copyOf(parameters), directory, bar.trainingMonitor());
    } finally {
      bar.finish();
    }
    out.printf(Locale.ROOT, "Trained in %.1f s; threshold %.4g%n", (System.nanoTime() - start) / 1e9,
        detector.calibration().threshold());
    return detector;
  }

  /** "demo-simplenet" for the generated data, "tiles-simplenet" for --data .../tiles. */
  static String modelName(Path data, String algorithm) {
    String base = data == null || data.getFileName() == null ? "demo" : data.getFileName().toString();
    return base.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + algorithm;
  }

  private boolean isRegistered(String detectorName) {
    return !references(Detector.class, "(" + Detector.NAME_PROPERTY + "=" + escape(detectorName) + ")").isEmpty();
  }

  private <S> List<ServiceReference<S>> references(Class<S> type, String filter) {
    try {
      return new ArrayList<>(context.getServiceReferences(type, filter));
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The previous configuration with the demo's source, detector and repetition, and no threshold override. */
  static Dictionary<String, Object> stationSettings(Dictionary<String, Object> previous, String detectorName) {
    Hashtable<String, Object> properties = new Hashtable<>();
    if (previous != null) {
      for (var keys = previous.keys(); keys.hasMoreElements(); ) {
        String key = keys.nextElement();
        properties.put(key, previous.get(key));
      }
    }
    properties.put(Station.SOURCE_TARGET, "(" + ImageSource.NAME_PROPERTY + "=" + SOURCE_NAME + ")");
    properties.put(Station.DETECTOR_TARGET, "(" + Detector.NAME_PROPERTY + "=" + escape(detectorName) + ")");
    properties.put(Station.REPEAT_FINITE, true);
    properties.remove(Station.THRESHOLD);
    properties.remove(Station.THRESHOLD_DETECTOR);
    return properties;
  }

  private static void restore(Configuration station, Dictionary<String, Object> previous) throws IOException {
    if (previous == null) {
      station.delete();
    } else {
      station.update(previous);
    }
  }

  static String escape(String value) {
    StringBuilder escaped = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (c == '\\' || c == '(' || c == ')' || c == '*') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  /** The test split under the name the station is pointed at, so results and status carry that name. */
  private record NamedSource(String name, ImageSource split) implements ImageSource {
    @Override
    public boolean isFinite() {
      return split.isFinite();
    }

    @Override
    public io.vigil.api.source.FrameStream open() throws IOException {
      return split.open();
    }
  }
}
