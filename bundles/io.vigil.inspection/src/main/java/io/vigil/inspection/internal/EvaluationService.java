package io.vigil.inspection.internal;

import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.evaluation.EvaluationException;
import io.vigil.api.evaluation.EvaluationMonitor;
import io.vigil.api.evaluation.EvaluationReport;
import io.vigil.api.evaluation.EvaluationRequest;
import io.vigil.api.evaluation.Evaluator;
import io.vigil.api.evaluation.ReportWriter;
import io.vigil.api.metric.Metric;
import io.vigil.api.source.DatasetFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Evaluator}: tracks every detector factory, data set format, metric and report
 * writer, and runs {@link Evaluation}s on the caller's thread. When the bundle stops (Ctrl-C
 * stops the framework) running evaluations are interrupted and given time to delete their
 * unfinished output.
 */
@Component(name = EvaluationService.PID, configurationPolicy = org.osgi.service.component.annotations.ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EvaluatorConfiguration.class)
public class EvaluationService implements Evaluator, Evaluation.Services {
  static final String PID = "io.vigil.inspection.evaluation";
  private static final Logger LOG = LoggerFactory.getLogger(EvaluationService.class);

  // DS keeps these lists in ascending service order: the best-ranked service comes last.
  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  private volatile List<DetectorFactory> detectorFactories;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  private volatile List<DatasetFormat> datasetFormats;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  private volatile List<Metric> registeredMetrics;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  private volatile List<ReportWriter> reportWriters;

  private final Set<Thread> running = ConcurrentHashMap.newKeySet();
  private volatile Duration serviceWait = Duration.ofSeconds(10);

  @Activate
  @Modified
  void configure(EvaluatorConfiguration configuration) {
    serviceWait = Duration.ofSeconds(Math.max(0, configuration.service_wait_seconds()));
  }

  @Deactivate
  void deactivate() throws InterruptedException {
    for (Thread thread : running) {
      LOG.info("Stopping the evaluation on thread {}", thread.getName());
      thread.interrupt();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!running.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @Override
  public EvaluationReport evaluate(EvaluationRequest request, EvaluationMonitor monitor)
      throws EvaluationException, InterruptedException {
    Thread current = Thread.currentThread();
    running.add(current);
    try {
      return new Evaluation(this, serviceWait).run(request, monitor == null ? EvaluationMonitor.NONE : monitor);
    } finally {
      running.remove(current);
    }
  }

  @Override
  public List<DetectorFactory> factories() {
    return bestFirst(detectorFactories);
  }

  @Override
  public List<DatasetFormat> formats() {
    return bestFirst(datasetFormats);
  }

  @Override
  public List<Metric> metrics() {
    return bestFirst(registeredMetrics);
  }

  @Override
  public List<ReportWriter> writers() {
    return bestFirst(reportWriters);
  }

  private static <T> List<T> bestFirst(List<T> ascending) {
    if (ascending == null) {
      return List.of();
    }
    List<T> copy = new ArrayList<>(ascending);
    Collections.reverse(copy);
    return copy;
  }
}
