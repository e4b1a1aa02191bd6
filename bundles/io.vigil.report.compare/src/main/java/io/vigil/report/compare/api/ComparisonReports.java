package io.vigil.report.compare.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Reads evaluation folders (as {@code ./vigil eval} writes them) and writes the comparison report. */
@ProviderType
public interface ComparisonReports {

  /** Reads one evaluation folder (summary.csv and images.csv); IOException names what is missing. */
  ComparedModel read(Path evaluation) throws IOException;

  /**
   * Writes {@code out/report.html} (one file, nothing fetched) with the CSV behind each chart for
   * these evaluations of one data set, labelled by their folder names (made unique); returns the
   * report. {@code data} is the evaluated data set, for the gallery's thumbnails; null when unknown.
   */
  Path write(List<Path> evaluations, Path data, Path out) throws IOException;
}
