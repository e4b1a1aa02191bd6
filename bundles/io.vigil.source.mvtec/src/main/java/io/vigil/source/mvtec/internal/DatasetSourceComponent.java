package io.vigil.source.mvtec.internal;

import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A finite image source over one split of a data set, one instance per factory configuration
 * ({@code io.vigil.source.mvtec}). The format is chosen when a stream opens, so a format bundle
 * installed later is used, and a data set fixed on disk is re-listed on the next open.
 */
@Component(
    name = DatasetSourceComponent.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE,
    service = ImageSource.class)
@Designate(ocd = DatasetSourceConfiguration.class, factory = true)
public class DatasetSourceComponent implements ImageSource {
  static final String PID = "io.vigil.source.mvtec";
  static final String AUTO = "auto";
  private static final Logger LOG = LoggerFactory.getLogger(DatasetSourceComponent.class);

  /** Highest ranking first: the most specific format wins when several recognise a directory. */
  private final Map<ServiceReference<DatasetFormat>, DatasetFormat> formats =
      new ConcurrentSkipListMap<>(Comparator.reverseOrder());
  private final String name;
  private final Path root;
  private final String split;
  private final String formatName;

  @Activate
  public DatasetSourceComponent(DatasetSourceConfiguration configuration) {
    name = required(configuration.vigil_source_name(), "vigil.source.name");
    root = Path.of(required(configuration.root(), "root"));
    split = required(configuration.split(), "split");
    formatName = configuration.format() == null || configuration.format().isBlank() ? AUTO : configuration.format();
  }

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindFormat(ServiceReference<DatasetFormat> reference, DatasetFormat format) {
    formats.put(reference, format);
  }

  void unbindFormat(ServiceReference<DatasetFormat> reference) {
    formats.remove(reference);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isFinite() {
    return true;
  }

  @Override
  public FrameStream open() throws IOException {
    DatasetFormat format = format();
    FrameStream stream = format.open(root, split).open();
    LOG.info("Source '{}': {} split '{}' of {} ({} frames)", name, format.name(), split, root,
        stream.size().isPresent() ? stream.size().getAsInt() : "?");
    return stream;
  }

  private DatasetFormat format() throws IOException {
    List<DatasetFormat> candidates = List.copyOf(formats.values());
    if (!AUTO.equals(formatName)) {
      return candidates.stream().filter(f -> f.name().equals(formatName)).findFirst()
          .orElseThrow(() -> new IOException("source '" + name + "': no data set format '" + formatName
              + "' is installed; installed: " + names(candidates)));
    }
    return candidates.stream().filter(f -> f.recognizes(root)).findFirst()
        .orElseThrow(() -> new IOException("source '" + name + "': " + root + " is in no known data set layout ("
            + names(candidates) + ")" + (root.toFile().isDirectory() ? "" : "; it is not a directory")));
  }

  private static String names(List<DatasetFormat> formats) {
    return formats.stream().map(DatasetFormat::name).collect(Collectors.joining(", "));
  }

  private static String required(String value, String property) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the data set source configuration needs " + property);
    }
    return value.trim();
  }
}
