package io.vigil.dataset.capture.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.image.Frame;
import io.vigil.api.source.ImageSource;
import io.vigil.dataset.capture.CaptureFolder;
import io.vigil.dataset.capture.CaptureLog;
import io.vigil.dataset.capture.SourceSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** {@code ./vigil capture}: frames of a registered image source into an MVTec AD data set. */
@Component(property = Command.NAME_PROPERTY + "=capture")
public class CaptureCommand implements Command {
  /** How long a source named on the command line may take to appear (its configuration is read at start-up). */
  static final Duration SOURCE_WAIT = Duration.ofSeconds(15);

  private final Map<ServiceReference<ImageSource>, ImageSource> sources = new ConcurrentHashMap<>();

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindSource(ServiceReference<ImageSource> reference, ImageSource source) {
    sources.put(reference, source);
    synchronized (sources) {
      sources.notifyAll();
    }
  }

  void unbindSource(ServiceReference<ImageSource> reference) {
    sources.remove(reference);
  }

  @Override
  public Callable<Integer> newCommand(CommandContext context) {
    return new Run(context);
  }

  @picocli.CommandLine.Command(name = "capture",
      description = {"Save frames of a camera or watched folder into an MVTec AD data set (lossless PNG, capture.csv).",
          "Saves frames of a registered image source (a camera, a watched folder) as lossless PNG (8 or 16 bit as "
              + "captured) into DIR in the MVTec AD layout, numbered on from the images there (000.png, 001.png, ...); "
              + "an existing file is never replaced. Each image gets a row in DIR/capture.csv (file, time, source, "
              + "frame id, size, the source's settings and the frame's metadata)."})
  final class Run implements Callable<Integer> {
    private final CommandContext context;

    @Option(names = "--source", required = true, paramLabel = "NAME",
        description = "the image source (vigil.source.name; ./vigil shell: vigil:sources lists them)")
    String source;
    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "the data set's folder (created with train/good, test and ground_truth)")
    String out;
    @Option(names = "--as", required = true, paramLabel = "FOLDER",
        description = "train/good, test/good or test/TYPE for a defect type")
    String as;
    @Option(names = "--count", paramLabel = "N",
        description = "stop after N images (default: until Ctrl-C, or the end of a finite source)")
    Integer count;
    @Option(names = "--every", paramLabel = "MS",
        description = "save at most one frame every MS milliseconds, skipping those between")
    Integer every;
    @Option(names = "--trigger", paramLabel = "software",
        description = "save one frame per line read from standard input (Enter); ends at end of input")
    String trigger;

    Run(CommandContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      CaptureOptions options;
      try {
        options = CaptureOptions.of(source, out, as, count, every, trigger);
      } catch (IllegalArgumentException e) {
        context.err().println("vigil capture: " + e.getMessage());
        return 2;
      }
      return capture(options, context);
    }
  }

  private int capture(CaptureOptions options, CommandContext context) throws Exception {
    PrintStream out = context.out();
    Map.Entry<ServiceReference<ImageSource>, ImageSource> found;
    try {
      found = awaitSource(options.source());
    } catch (InterruptedException e) {
      return 130;
    }
    if (found == null) {
      context.err().println("vigil capture: no image source named '" + options.source() + "'; registered: "
          + String.join(", ", sources.values().stream().map(ImageSource::name).sorted().toList()));
      return 1;
    }
    ImageSource source = found.getValue();
    Path root = context.workingDirectory().resolve(options.out()).normalize();
    CaptureFolder folder = CaptureFolder.create(root, options.as());
    int before = folder.nextNumber();
    out.println("Capturing from '" + source.name() + "' into " + folder.directory()
        + (options.count() > 0 ? " (" + options.count() + " images)" : " (until Ctrl-C)")
        + (options.softwareTrigger() ? ": one image per Enter" : ""));
    Capture.Trigger trigger = null;
    if (options.softwareTrigger()) {
      BufferedReader lines = new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8));
      trigger = () -> lines.readLine() != null;
    }
    Capture.End end;
    Capture capture;
    try (CaptureLog log = new CaptureLog(root)) {
      capture = new Capture(source, SourceSettings.of(found.getKey()), folder, log, Clock.systemUTC());
      end = capture.run(options.count(), options.every(), trigger, new Capture.Listener() {
        @Override
        public void saved(Path file, Frame frame) {
          out.println("  " + root.relativize(file) + "  " + frame.id() + "  "
              + frame.image().width() + "x" + frame.image().height() + "x" + frame.image().channels()
              + " " + frame.image().bitDepth() + "-bit");
        }

        @Override
        public void skipped(String reason) {
          context.err().println("  skipped an unreadable frame: " + reason);
        }
      });
    } catch (IOException e) {
      context.err().println("vigil capture: " + e.getMessage());
      return 1;
    }
    out.println("Saved " + capture.saved() + " images in " + folder.name() + " (numbers " + before + " on); "
        + root.resolve(CaptureLog.FILE) + switch (end) {
          case COUNT_REACHED -> "";
          case SOURCE_EXHAUSTED -> "; the source has no more frames";
          case TRIGGERS_ENDED -> "; end of input";
          case INTERRUPTED -> "; stopped";
        });
    return end == Capture.End.INTERRUPTED ? 130 : 0;
  }

  private Map.Entry<ServiceReference<ImageSource>, ImageSource> awaitSource(String name) throws InterruptedException {
    long deadline = System.nanoTime() + SOURCE_WAIT.toNanos();
    synchronized (sources) {
      while (true) {
        for (Map.Entry<ServiceReference<ImageSource>, ImageSource> entry : sources.entrySet()) {
          if (name.equals(entry.getKey().getProperty(ImageSource.NAME_PROPERTY))) {
            return entry;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        sources.wait(Math.max(1, left / 1_000_000));
      }
    }
  }
}
