package io.vigil.sink.plc.internal;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import io.vigil.api.detector.Decision;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a PLC about each part over Modbus TCP: the reject coil goes on for {@code pulse.ms} and off
 * again per NOK (the good coil likewise per OK, when configured), and the reject count register is
 * written. The station calls {@link #accept} on this sink's own thread, so a pulse's wait holds up
 * nothing but this sink; a PLC that cannot be reached makes {@link #accept} throw (the station counts
 * the result as failed) and the next result connects again.
 */
@Component(name = "io.vigil.sink.plc", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ModbusSinkConfiguration.class, factory = true)
public class ModbusPlcSink implements ResultSink {
  private static final Logger LOG = LoggerFactory.getLogger(ModbusPlcSink.class);

  private final ModbusSinkConfiguration configuration;
  private final String address;
  private ModbusTCPMaster master;
  private long rejects;
  /** When each coil last went off (nanoTime), so the next pulse keeps the off time too. */
  private long nokCoilOff = Long.MIN_VALUE / 2;
  private long okCoilOff = Long.MIN_VALUE / 2;
  private volatile String state = "not connected yet (connects at the first write)";

  @Activate
  public ModbusPlcSink(ModbusSinkConfiguration configuration) {
    this.configuration = configuration;
    this.address = configuration.host() + ":" + configuration.port() + " unit " + configuration.unit_id();
  }

  @Override
  public synchronized void accept(InspectionResult result) {
    boolean reject = result.detection() == null
        ? configuration.error_rejects()
        : result.detection().decision() == Decision.NOK;
    try {
      if (reject) {
        rejects++;
        if (configuration.nok_count_register() >= 0) {
          connected().writeSingleRegister(configuration.unit_id(), configuration.nok_count_register(),
              new SimpleRegister((int) (rejects & 0xFFFF)));
        }
        if (configuration.nok_coil() >= 0) {
          nokCoilOff = pulse(configuration.nok_coil(), nokCoilOff);
        }
      } else if (configuration.ok_coil() >= 0) {
        okCoilOff = pulse(configuration.ok_coil(), okCoilOff);
      }
      if (master != null) {
        state = "connected to " + address;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during a pulse to " + address, e);
    } catch (Exception e) {
      disconnect();
      state = "disconnected from " + address + ": " + e.getMessage();
      throw new IllegalStateException("PLC " + address + ": " + e.getMessage(), e);
    }
  }

  /** On, wait, off; returns when the coil went off. Waits first if it went off less than a pulse ago. */
  private long pulse(int coil, long lastOff) throws Exception {
    long pulseNanos = configuration.pulse_ms() * 1_000_000L;
    long offFor = System.nanoTime() - lastOff;
    if (offFor < pulseNanos) {
      sleepNanos(pulseNanos - offFor);
    }
    connected().writeCoil(configuration.unit_id(), coil, true);
    sleepNanos(pulseNanos);
    connected().writeCoil(configuration.unit_id(), coil, false);
    return System.nanoTime();
  }

  private static void sleepNanos(long nanos) throws InterruptedException {
    Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
  }

  private ModbusTCPMaster connected() throws Exception {
    if (master == null || !master.isConnected()) {
      disconnect();
      ModbusTCPMaster created = new ModbusTCPMaster(configuration.host(), configuration.port(),
          configuration.timeout_ms(), false);
      created.connect();
      // After connect: j2mod creates the transaction there, with its default of 5 tries and random
      // back-off, which held a result for 6 s on a PLC that accepts and never answers (timeout 200 ms).
      created.setRetries(1);
      master = created;
      LOG.info("PLC sink '{}' connected to {}", configuration.vigil_sink_name(), address);
    }
    return master;
  }

  private void disconnect() {
    if (master != null) {
      master.disconnect();
      master = null;
    }
  }

  @Override
  public String state() {
    return state;
  }

  /** Rejects counted so far (the count register's value before the modulo). */
  synchronized long rejects() {
    return rejects;
  }

  @Deactivate
  synchronized void close() {
    disconnect();
  }
}
