package io.vigil.sink.plc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Decision;
import io.vigil.api.detector.Detection;
import io.vigil.api.inspection.InspectionResult;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sink against a real Modbus TCP slave (j2mod's) on loopback that counts the coils' rising edges. */
class ModbusPlcSinkTest {
  private static final int UNIT = 3;

  /** A coil that counts how often it was switched on. */
  private static final class CountingCoil extends SimpleDigitalOut {
    final AtomicInteger pulses = new AtomicInteger();

    @Override
    public synchronized void set(boolean on) {
      if (on && !isSet()) {
        pulses.incrementAndGet();
      }
      super.set(on);
    }
  }

  private final CountingCoil nokCoil = new CountingCoil();
  private final CountingCoil okCoil = new CountingCoil();
  private final SimpleRegister count = new SimpleRegister(0);
  private int port;
  private ModbusSlave slave;

  @BeforeEach
  void startSlave() throws Exception {
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    slave = startSlave(port);
  }

  private ModbusSlave startSlave(int port) throws Exception {
    SimpleProcessImage image = new SimpleProcessImage(UNIT);
    image.addDigitalOut(new SimpleDigitalOut()); // coil 0: unused
    image.addDigitalOut(nokCoil); // coil 1
    image.addDigitalOut(okCoil); // coil 2
    image.addRegister(new SimpleRegister(0));
    image.addRegister(count); // holding register 1
    ModbusSlave started = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 2, false);
    started.addProcessImage(UNIT, image);
    started.open();
    return started;
  }

  @AfterEach
  void stopSlave() {
    ModbusSlaveFactory.close();
  }

  @Test
  void oneRejectCoilPulsePerNokAndOneGoodPulsePerOk() {
    ModbusPlcSink sink = new ModbusPlcSink(configuration(Map.of(
        "port", port, "unit_id", UNIT, "nok_coil", 1, "ok_coil", 2, "nok_count_register", 1, "pulse_ms", 2)));
    int noks = 0;
    int oks = 0;
    for (int i = 1; i <= 40; i++) {
      // NOKs in runs of one to three, so pulses follow each other as closely as frames allow.
      boolean nok = i % 5 == 0 || i % 7 == 0 || i % 7 == 1 || i % 11 == 3;
      sink.accept(result(i, nok ? Decision.NOK : Decision.OK));
      if (nok) {
        noks++;
      } else {
        oks++;
      }
    }
    sink.accept(error(41));
    noks++; // an error rejects by default
    sink.close();

    assertEquals(noks, nokCoil.pulses.get(), "one reject pulse per NOK and error");
    assertEquals(oks, okCoil.pulses.get(), "one good pulse per OK");
    assertEquals(noks, count.getValue(), "the count register holds the rejects");
    assertTrue(!nokCoil.isSet() && !okCoil.isSet(), "every pulse ended");
    assertTrue(sink.state().startsWith("connected to 127.0.0.1:" + port), sink.state());
  }

  @Test
  void aLostPlcFailsTheResultAndTheNextOneReconnects() throws Exception {
    ModbusPlcSink sink = new ModbusPlcSink(configuration(Map.of(
        "port", port, "unit_id", UNIT, "nok_coil", 1, "pulse_ms", 1, "timeout_ms", 500)));
    sink.accept(result(1, Decision.NOK));
    ModbusSlaveFactory.close();

    RuntimeException failed = assertThrows(RuntimeException.class, () -> sink.accept(result(2, Decision.NOK)));
    assertTrue(failed.getMessage().contains("127.0.0.1:" + port), failed.getMessage());
    assertTrue(sink.state().startsWith("disconnected from 127.0.0.1:" + port), sink.state());

    slave = startSlave(port);
    sink.accept(result(3, Decision.NOK));
    sink.close();
    assertEquals(2, nokCoil.pulses.get(), "the pulses of the results delivered");
    assertTrue(sink.state().startsWith("connected"), sink.state());
  }

  @Test
  void aPlcThatAcceptsButNeverAnswersFailsTheResultInsteadOfHoldingTheSink() throws Exception {
    // A cable pulled behind a switch, or a PLC in STOP that keeps its socket: no refusal, no answer.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      java.util.List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept());
          }
        } catch (java.io.IOException e) {
          // closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      ModbusPlcSink sink = new ModbusPlcSink(configuration(Map.of(
          "port", silent.getLocalPort(), "unit_id", UNIT, "nok_coil", 1, "pulse_ms", 1, "timeout_ms", 200)));
      long start = System.nanoTime();
      RuntimeException failed = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
          () -> assertThrows(RuntimeException.class, () -> sink.accept(result(1, Decision.NOK))),
          "the sink waited on a silent PLC far beyond its timeout");
      System.out.println("silent PLC: failed after " + (System.nanoTime() - start) / 1_000_000 + " ms: " + failed.getMessage());
      // One try per write: j2mod's default (5 tries with random back-off) held each result for seconds.
      assertTrue(failed.getMessage().contains("(tried 1 times)"), failed.getMessage());
      assertTrue(sink.state().startsWith("disconnected from 127.0.0.1:" + silent.getLocalPort()), sink.state());
      sink.close();
      for (java.net.Socket socket : accepted) {
        socket.close();
      }
    }
  }

  private static InspectionResult result(long sequence, Decision decision) {
    double score = decision == Decision.NOK ? 2.0 : 0.5;
    Detection detection = new Detection(new AnomalyMap(1, 1, new float[] {(float) score}), score, score, decision);
    return new InspectionResult(sequence, null, "part-" + sequence, "line-1", "tiles", detection, null,
        Duration.ofMillis(20), Instant.now(), 1.0);
  }

  private static InspectionResult error(long sequence) {
    return new InspectionResult(sequence, null, "part-" + sequence + ".png", "line-1", null, null, "corrupt image",
        Duration.ZERO, Instant.now());
  }

  /** The metatype defaults with {@code values} over them. */
  private static ModbusSinkConfiguration configuration(Map<String, Object> values) {
    return (ModbusSinkConfiguration) Proxy.newProxyInstance(ModbusSinkConfiguration.class.getClassLoader(),
        new Class<?>[] {ModbusSinkConfiguration.class},
        (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
  }
}
