package io.vigil.shell.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.detector.Detection;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.Station;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code ./vigil station}: runs the station headless and prints one line per result until Ctrl-C
 * (or, with {@code --count N}, until N results).
 */
@Component(property = {
    Command.NAME_PROPERTY + "=station",
    Command.SUMMARY_PROPERTY + "=Run the inspection station headless, one line per result, until Ctrl-C"
})
public class StationCommand implements Command {
  private final BundleContext context;
  private final Station station;

  @Activate
  public StationCommand(BundleContext context, @Reference Station station) {
    this.context = context;
    this.station = station;
  }

  @Override
  public String usage() {
    return String.join(System.lineSeparator(),
        "Usage: ./vigil station [--count N]",
        "Runs the inspection loop with the configured source and detector (see deploy/*.config)",
        "and prints each result: sequence, frame, decision, raw and normalised score, milliseconds.",
        "  --count N   stop after N results (default: run until Ctrl-C)");
  }

  @Override
  public int run(List<String> arguments, CommandContext console) throws Exception {
    long limit = Long.MAX_VALUE;
    for (int i = 0; i < arguments.size(); i++) {
      if (arguments.get(i).equals("--count") && i + 1 < arguments.size()) {
        limit = Long.parseLong(arguments.get(++i));
      } else {
        console.err().println(usage());
        return 2;
      }
    }
    PrintStream out = console.out();
    out.println("Station: " + station.status());
    long wanted = limit;
    Object done = new Object();
    long[] seen = {0};
    ResultSink printer = result -> {
      out.println(format(result));
      synchronized (done) {
        seen[0]++;
        done.notifyAll();
      }
    };
    ServiceRegistration<ResultSink> registration = context.registerService(ResultSink.class, printer, null);
    try {
      synchronized (done) {
        while (seen[0] < wanted) {
          done.wait();
        }
      }
    } finally {
      registration.unregister();
    }
    return 0;
  }

  static String format(InspectionResult result) {
    Detection d = result.detection();
    if (d == null) {
      return String.format(Locale.ROOT, "%6d  %-40s  ERROR  %s", result.sequence(), result.frameId(), result.error());
    }
    return String.format(Locale.ROOT, "%6d  %-40s  %-5s raw %.4f  norm %.3f  %s  %.1f ms", result.sequence(),
        result.frameId(), d.decision(), d.rawScore(), d.normalizedScore(), result.detectorName(),
        result.processingTime().toNanos() / 1e6);
  }
}
