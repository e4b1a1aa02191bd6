package io.vigil.source.camera.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code ./vigil cameras}: the GigE Vision and USB3 Vision cameras Aravis finds. */
@Component(property = Command.NAME_PROPERTY + "=cameras")
public class CamerasCommand implements Command {
  private final AravisRuntime runtime;

  @Activate
  public CamerasCommand(@Reference AravisRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Callable<Integer> newCommand(CommandContext context) {
    return new Cameras(context);
  }

  @picocli.CommandLine.Command(name = "cameras",
      description = {"List the GigE Vision and USB3 Vision cameras Aravis finds, with their ids.",
          "Lists the cameras Aravis finds on every network interface and USB bus. Put a camera's id in a camera "
              + "source configuration (deploy/io.vigil.source.camera-NAME.config: device.id=\"ID\")."})
  final class Cameras implements Callable<Integer> {
    private final CommandContext context;

    Cameras(CommandContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      return list(context);
    }
  }

  private int list(CommandContext context) {
    List<CameraInfo> cameras;
    try {
      cameras = runtime.discover();
    } catch (CameraException e) {
      context.err().println("cameras: " + e.getMessage());
      return 1;
    }
    PrintStream out = context.out();
    if (cameras.isEmpty()) {
      out.println("No camera found (Aravis searched GigE Vision and USB3 Vision).");
      return 0;
    }
    out.printf("%-32s %-16s %-24s %-14s %-11s %s%n", "ID", "VENDOR", "MODEL", "SERIAL", "PROTOCOL", "ADDRESS");
    for (CameraInfo camera : cameras) {
      out.printf("%-32s %-16s %-24s %-14s %-11s %s%n", camera.id(), camera.vendor(), camera.model(), camera.serial(),
          camera.protocol(), camera.address());
    }
    out.println(cameras.size() + (cameras.size() == 1 ? " camera" : " cameras"));
    return 0;
  }
}
