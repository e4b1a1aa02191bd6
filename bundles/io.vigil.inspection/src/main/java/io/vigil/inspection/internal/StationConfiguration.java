package io.vigil.inspection.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Vigil inspection station",
    description = "Which source and detector the station loop uses, and how it runs.")
@interface StationConfiguration {

  @AttributeDefinition(
      name = "Source filter",
      description = "LDAP filter choosing the image source, e.g. (vigil.source.name=line-1). "
          + "Among matching sources the highest service ranking wins.")
  String source_target() default "(vigil.source.name=*)";

  @AttributeDefinition(
      name = "Detector filter",
      description = "LDAP filter choosing the detector, e.g. (vigil.detector.name=tiles-v3). "
          + "Among matching detectors the highest service ranking wins.")
  String detector_target() default "(vigil.detector.name=*)";

  @AttributeDefinition(
      name = "Repeat finite sources",
      description = "Start a finite source (a data set, a folder snapshot) over when it ends.")
  boolean repeat_finite() default false;

  @AttributeDefinition(
      name = "Poll timeout (ms)",
      description = "How long the worker waits for a frame before it looks for a new binding.",
      min = "10")
  long poll_timeout_ms() default 200;

  @AttributeDefinition(
      name = "Largest batch",
      description = "When frames queue up (the source is faster than the detector for a while), up to this "
          + "many are scored in one call, which is faster per frame; results keep frame order. 1: frame by "
          + "frame. Larger batches raise the latency of each result.",
      min = "1", max = "16")
  int max_batch() default 4;

  @AttributeDefinition(
      name = "Warm up detectors",
      description = "Before a newly selected detector gets frames, it scores a blank frame at every batch size "
          + "up to the largest batch, while the detector before it goes on scoring (and the source waits when there "
          + "was none). A compiled network plans its memory per batch size on first use, which would otherwise hold "
          + "up the frames queued behind it.")
  boolean warm_up() default true;

  @AttributeDefinition(
      name = "Scoring timeout (ms)",
      description = "Longest one detector call (a frame, or a batch of frames) may take. A detector that takes "
          + "longer is abandoned on its thread: its frames become error results naming this timeout, the next "
          + "frames go on, and they get error results at once while the detector has still not returned (so a "
          + "hung detector costs one thread, not one per frame). Applies to warm-ups too. 0: no limit.",
      min = "0")
  long scoring_timeout_ms() default 10000;

  @AttributeDefinition(
      name = "Sink queue",
      description = "Results each result sink (log, archive, broker, PLC) may have waiting; when a sink falls "
          + "this far behind, further results are dropped for that sink only and counted (vigil:sinks). "
          + "Read when a sink is bound.",
      min = "1")
  int sink_queue() default 1000;

  @AttributeDefinition(
      name = "Paused",
      description = "Read no further frames until this is false again (the station view, a PLC or an OPC UA "
          + "client stops and starts inspection with it); frames already read are still scored.")
  boolean paused() default false;

  @AttributeDefinition(
      name = "Decision threshold",
      description = "Raw image score from which a part is rejected, instead of the model's calibrated "
          + "threshold. NaN (the default) keeps the model's.",
      required = false)
  double threshold() default Double.NaN;

  @AttributeDefinition(
      name = "Threshold's detector",
      description = "The detector name the threshold was chosen for; the override applies only while "
          + "that detector scores. Empty: whichever detector scores.",
      required = false)
  String threshold_detector() default "";
}
