package io.vigil.sink.opcua.internal;

import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.Station;
import io.vigil.api.inspection.StationStatus;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfig;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.server.EndpointConfiguration;
import org.eclipse.milo.opcua.stack.server.security.DefaultServerCertificateValidator;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OPC UA server (Eclipse Milo) for the plant's SCADA and MES: the station's state, source,
 * model, threshold, counters and last result as variables under Objects/Station, and methods to
 * stop and start inspection and to set the threshold. It receives results as a {@link ResultSink};
 * what it changes it writes to the station's configuration, as the station view does.
 */
@Component(name = "io.vigil.sink.opcua", configurationPolicy = ConfigurationPolicy.REQUIRE, service = ResultSink.class)
@Designate(ocd = OpcUaServerConfiguration.class, factory = true)
public class OpcUaStationServer implements ResultSink, StationNamespace.Control {
  private static final Logger LOG = LoggerFactory.getLogger(OpcUaStationServer.class);
  /** Servers of this bundle running: Milo's shared Netty event loop is released when the last one stops. */
  private static final AtomicInteger RUNNING = new AtomicInteger();

  private final StationFigures figures = new StationFigures();
  private final ConfigurationAdmin configurationAdmin;
  private final ExecutorService executor;
  private final ScheduledExecutorService scheduler;
  private final Thread starter;
  private OpcUaServer server;
  private boolean stopped;
  private volatile String state = "starting";
  private final DefaultTrustListManager trustList;
  private final String endpointUrl;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile Station station;

  @Activate
  public OpcUaStationServer(
      OpcUaServerConfiguration configuration, BundleContext context, @Reference ConfigurationAdmin configurationAdmin)
      throws Exception {
    this(configuration, configuration.pki_dir().isBlank()
        ? context.getDataFile("pki").toPath() : Path.of(configuration.pki_dir()), configurationAdmin);
  }

  OpcUaStationServer(OpcUaServerConfiguration configuration, Path pki, ConfigurationAdmin configurationAdmin)
      throws Exception {
    this.configurationAdmin = configurationAdmin;
    String name = configuration.vigil_sink_name();
    String hostname = hostname(configuration);
    String applicationUri = "urn:vigil:station:" + name;
    ServerCertificate certificate = ServerCertificate.loadOrCreate(pki, applicationUri, hostname);
    trustList = new DefaultTrustListManager(pki.toFile());

    // Usernames travel encrypted with the server's key even on the unencrypted endpoint.
    UserTokenPolicy anonymous = new UserTokenPolicy("anonymous", UserTokenType.Anonymous, null, null, null);
    UserTokenPolicy username = new UserTokenPolicy("username", UserTokenType.UserName, null, null,
        SecurityPolicy.Basic256Sha256.getUri());
    EndpointConfiguration.Builder endpoint = EndpointConfiguration.newBuilder()
        .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
        .setBindAddress(configuration.bind_address())
        .setHostname(hostname)
        .setBindPort(configuration.port())
        .setPath(configuration.path().startsWith("/") ? configuration.path() : "/" + configuration.path())
        .setCertificate(certificate.certificate())
        .addTokenPolicies(anonymous, username);
    Set<EndpointConfiguration> endpoints = new LinkedHashSet<>();
    endpoints.add(endpoint.copy().setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None).build());
    if (configuration.secure_endpoint()) {
      endpoints.add(endpoint.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
          .setSecurityMode(MessageSecurityMode.SignAndEncrypt).build());
    }
    executor = Executors.newFixedThreadPool(2, threads("vigil-opcua-" + name));
    scheduler = Executors.newSingleThreadScheduledExecutor(threads("vigil-opcua-" + name + "-timer"));
    OpcUaServerConfig config = OpcUaServerConfig.builder()
        .setApplicationUri(applicationUri)
        .setApplicationName(LocalizedText.english("Vigil inspection station " + name))
        .setProductUri("urn:vigil:station")
        .setBuildInfo(new BuildInfo("urn:vigil:station", "Vigil", "Vigil inspection station", "0.1", "", DateTime.now()))
        .setEndpoints(endpoints)
        .setCertificateManager(new DefaultCertificateManager(certificate.keyPair(), certificate.certificate()))
        .setTrustListManager(trustList)
        .setCertificateValidator(new DefaultServerCertificateValidator(trustList))
        .setIdentityValidator(new Operator.Validator(configuration.username(), configuration.password()))
        .setExecutor(executor)
        .setScheduledExecutorService(scheduler)
        .build();
    endpointUrl = "opc.tcp://" + hostname + ":" + configuration.port() + endpoint.build().getPath();
    RUNNING.incrementAndGet();
    // Milo loads the standard address space (seconds): that must not hold up the station binding this sink.
    starter = new Thread(() -> start(config, configuration), "vigil-opcua-" + name + "-start");
    starter.setDaemon(true);
    starter.start();
  }

  private void start(OpcUaServerConfig config, OpcUaServerConfiguration configuration) {
    try {
      OpcUaServer created = new OpcUaServer(config);
      new StationNamespace(created, figures, this).startup();
      synchronized (this) {
        if (stopped) {
          return;
        }
        server = created;
      }
      created.startup().get(30, TimeUnit.SECONDS);
      if (created.getStackServer().getBoundEndpoints().isEmpty()) {
        // Milo logs a bind failure and carries on; a server nobody can reach must say so.
        throw new java.net.BindException("the port is taken or the address is not this machine's");
      }
      state = "listening at " + endpointUrl;
      LOG.info("OPC UA server '{}' at {} ({})", configuration.vigil_sink_name(), endpointUrl,
          configuration.username().isBlank() ? "read-only: no user configured"
              : "user '" + configuration.username() + "' may control");
    } catch (Exception e) {
      state = "failed: cannot listen on " + configuration.bind_address() + ":" + configuration.port() + ": "
          + rootMessage(e);
      LOG.error("OPC UA server '{}' {}", configuration.vigil_sink_name(), state);
    }
  }

  private static String hostname(OpcUaServerConfiguration configuration) {
    if (!configuration.hostname().isBlank()) {
      return configuration.hostname();
    }
    if (!configuration.bind_address().equals("0.0.0.0")) {
      return configuration.bind_address();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return String.valueOf(cause.getMessage());
  }

  /** The endpoint clients connect to, e.g. opc.tcp://127.0.0.1:4840/vigil. */
  String endpointUrl() {
    return endpointUrl;
  }

  /** Waits until the server listens or failed to; for tests and the command line. */
  boolean awaitStarted(long millis) throws InterruptedException {
    starter.join(millis);
    return state.startsWith("listening");
  }

  @Deactivate
  void stop() {
    OpcUaServer running;
    synchronized (this) {
      stopped = true;
      running = server;
    }
    try {
      starter.join(TimeUnit.SECONDS.toMillis(60));
      if (running == null) {
        synchronized (this) {
          running = server;
        }
      }
      if (running != null) {
        running.shutdown().get(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("OPC UA server did not shut down cleanly: {}", rootMessage(e));
    }
    executor.shutdownNow();
    scheduler.shutdownNow();
    try {
      trustList.close(); // stops its folder watcher thread
    } catch (java.io.IOException e) {
      LOG.warn("OPC UA trust list: {}", e.getMessage());
    }
    if (RUNNING.decrementAndGet() == 0) {
      Stack.releaseSharedResources(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void accept(InspectionResult result) {
    figures.add(result);
  }

  @Override
  public String state() {
    return state;
  }

  @Override
  public StationStatus status() {
    Station current = station;
    return current == null ? null : current.status();
  }

  @Override
  public void setPaused(boolean paused) throws Exception {
    updateStation(properties -> properties.put(Station.PAUSED, paused));
    LOG.info("Inspection {} by an OPC UA client", paused ? "stopped" : "started");
  }

  @Override
  public void setThreshold(double threshold, String detector) throws Exception {
    updateStation(properties -> {
      properties.put(Station.THRESHOLD, threshold);
      properties.put(Station.THRESHOLD_DETECTOR, detector);
    });
    LOG.info("Threshold {} for '{}' set by an OPC UA client", threshold, detector);
  }

  private void updateStation(java.util.function.Consumer<Dictionary<String, Object>> change) throws Exception {
    Configuration configuration = configurationAdmin.getConfiguration(Station.PID, "?");
    Dictionary<String, Object> properties = configuration.getProperties();
    if (properties == null) {
      properties = new Hashtable<>();
    }
    change.accept(properties);
    configuration.update(properties);
  }

  /** For tests: what the server counted. */
  List<Long> counters() {
    return List.of(figures.inspected(), figures.ok(), figures.nok(), figures.errors());
  }
}
