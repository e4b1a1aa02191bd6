package io.vigil.api.evaluation;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Writes one kind of evaluation output (CSV tables, anomaly maps, plots) into a report
 * directory. Registered as a service with {@link #NAME_PROPERTY}; an evaluation uses every
 * registered writer. Images arrive one by one as they are scored, so a writer never needs all
 * maps in memory.
 */
@ConsumerType
public interface ReportWriter {
  /** Service property: the writer's name, e.g. "csv". */
  String NAME_PROPERTY = "vigil.report.name";

  /**
   * Starts a report in {@code directory} (an empty, private working directory that the
   * evaluation moves into place when every writer has finished).
   */
  Report open(Path directory, EvaluationRun run) throws IOException;

  /** One report being written; used from one thread. */
  interface Report extends AutoCloseable {
    /** Called once per scored image, in order. */
    void add(EvaluatedImage image) throws IOException;

    /** Called once after the last image with the metrics; writes the remaining files. */
    void finish(EvaluationReport report) throws IOException;

    /** Releases resources; called after finish and on failure. */
    @Override
    default void close() throws IOException {}
  }
}
