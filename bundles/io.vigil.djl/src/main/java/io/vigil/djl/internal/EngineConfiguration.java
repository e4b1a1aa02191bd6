package io.vigil.djl.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Vigil deep learning engine",
    description = "How DJL and its MXNet engine start inside the station.")
@interface EngineConfiguration {

  @AttributeDefinition(
      name = "Native cache directory",
      description = "Where the native MXNet libraries are extracted (about 190 MB, once). "
          + "Empty: DJL's default, ~/.djl.ai (or the ENGINE_CACHE_DIR environment variable).")
  String native_cache_dir() default "";

  @AttributeDefinition(
      name = "Offline",
      description = "Never download anything (engines, model zoo artifacts). Turn off to let "
          + "DJL's model zoo download pretrained networks.")
  boolean offline() default true;

  @AttributeDefinition(
      name = "Start-up timeout (s)",
      description = "How long callers wait for the engine to start before they get an error.",
      min = "1")
  int startup_timeout_seconds() default 180;

  @AttributeDefinition(
      name = "Threads",
      description = "Threads the engine may use for one operation (OMP_NUM_THREADS); 0: all cores.",
      min = "0")
  int threads() default 0;
}
