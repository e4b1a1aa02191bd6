package io.vigil.djl.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

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

  @AttributeDefinition(
      name = "BLAS",
      description = "Which OpenBLAS MXNet's matrix products use. system: the machine's OpenBLAS (Debian: "
          + "apt-get install libopenblas0-pthread), several times faster than the old one bundled with "
          + "mxnet-native-mkl; when it is missing the bundled one is used with a warning. bundled: always the "
          + "bundled one. Read when the engine starts (the next start of the station). An MXNET_LIBRARY_PATH "
          + "environment variable overrides both.",
      options = {
          @Option(value = "system", label = "System OpenBLAS (fallback: bundled)"),
          @Option(value = "bundled", label = "OpenBLAS bundled with MXNet")
      })
  String blas() default "system";

  @AttributeDefinition(
      name = "System OpenBLAS library",
      description = "Path of the system libopenblas.so.0 for blas=system; empty: the usual places "
          + "(/usr/lib/x86_64-linux-gnu, /usr/lib64, /usr/lib).")
  String blas_library() default "";
}
