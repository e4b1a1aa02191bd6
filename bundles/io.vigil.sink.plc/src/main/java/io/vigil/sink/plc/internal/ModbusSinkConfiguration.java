package io.vigil.sink.plc.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Vigil PLC result sink (Modbus TCP)",
    description = "OK/NOK to a PLC over Modbus TCP: a coil pulse per rejected part (and optionally per good part), "
        + "and a holding register counting the rejects (deploy/io.vigil.sink.plc-NAME.config; several may run).")
@interface ModbusSinkConfiguration {

  @AttributeDefinition(name = "Name", description = "The sink's name in vigil:sinks (service property vigil.sink.name).")
  String vigil_sink_name() default "plc";

  @AttributeDefinition(name = "PLC host", description = "The PLC's (Modbus TCP server's) address.")
  String host() default "127.0.0.1";

  @AttributeDefinition(name = "Port", min = "1", max = "65535")
  int port() default 502;

  @AttributeDefinition(name = "Unit id", description = "The Modbus unit (slave) id the PLC answers to.", min = "0", max = "255")
  int unit_id() default 1;

  @AttributeDefinition(name = "Reject coil", description = "Coil address pulsed once per NOK part; -1: none.", min = "-1")
  int nok_coil() default 0;

  @AttributeDefinition(name = "Good coil", description = "Coil address pulsed once per OK part; -1: none.", min = "-1")
  int ok_coil() default -1;

  @AttributeDefinition(name = "Errors reject",
      description = "A frame that could not be inspected (unreadable, detector failed) pulses the reject coil: a part "
          + "nobody looked at is not passed.")
  boolean error_rejects() default true;

  @AttributeDefinition(name = "Pulse (ms)",
      description = "How long a coil stays on, and at least how long it stays off before the next pulse, so a PLC "
          + "scanning slower than the results still sees every edge. Keep it under half the frame time.",
      min = "1")
  int pulse_ms() default 10;

  @AttributeDefinition(name = "Reject count register",
      description = "Holding register set to the number of rejects so far (modulo 65536) at each reject, for PLCs "
          + "that count rather than watch edges; -1: none.", min = "-1")
  int nok_count_register() default -1;

  @AttributeDefinition(name = "Timeout (ms)", description = "Connect and response timeout.", min = "100")
  int timeout_ms() default 1000;
}
