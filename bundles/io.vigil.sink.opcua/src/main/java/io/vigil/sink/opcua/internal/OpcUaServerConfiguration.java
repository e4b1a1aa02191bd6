package io.vigil.sink.opcua.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Vigil OPC UA station server",
    description = "An OPC UA server exposing the station's state, counters and last result, with methods to start and "
        + "stop inspection and set the threshold (deploy/io.vigil.sink.opcua-NAME.config; several may run on "
        + "different ports). Anonymous clients may read; writes and method calls need the configured user.")
@interface OpcUaServerConfiguration {

  @AttributeDefinition(name = "Name", description = "The sink's name in vigil:sinks (service property vigil.sink.name).")
  String vigil_sink_name() default "opcua";

  @AttributeDefinition(name = "Bind address",
      description = "The interface to listen on: 127.0.0.1 (only this machine) unless the plant network must reach "
          + "it, e.g. 0.0.0.0 or the line network's address.")
  String bind_address() default "127.0.0.1";

  @AttributeDefinition(name = "Host name",
      description = "The host name clients are told to use in the endpoint URL. Empty: the bind address, or this "
          + "machine's name when binding all interfaces.")
  String hostname() default "";

  @AttributeDefinition(name = "Port", min = "1", max = "65535")
  int port() default 4840;

  @AttributeDefinition(name = "Path", description = "The endpoint path: opc.tcp://HOST:PORT/PATH.")
  String path() default "/vigil";

  @AttributeDefinition(name = "User name",
      description = "The user who may write the threshold and call the methods. Empty: nobody (read-only server).")
  String username() default "";

  @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
  String password() default "";

  @AttributeDefinition(name = "Signed and encrypted endpoint",
      description = "Also offer Basic256Sha256 Sign & Encrypt. Client certificates must then be trusted: copy them "
          + "from PKI/rejected/certs to PKI/trusted/certs.")
  boolean secure_endpoint() default true;

  @AttributeDefinition(name = "PKI folder",
      description = "The server's certificate (created on first start, kept so clients can pin it) and the trusted "
          + "and rejected client certificates. Empty: the bundle's data area.")
  String pki_dir() default "";
}
