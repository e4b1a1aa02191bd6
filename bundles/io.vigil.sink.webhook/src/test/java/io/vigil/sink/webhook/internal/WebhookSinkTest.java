package io.vigil.sink.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Decision;
import io.vigil.api.detector.Detection;
import io.vigil.api.inspection.InspectionResult;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server on loopback: posts arrive, also after the server answered 503 twice. */
class WebhookSinkTest {
  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger refuseNext = new AtomicInteger();
  private final AtomicInteger answer = new AtomicInteger(503);
  private final List<Long> sleeps = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/results", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int status = 200;
      if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        status = answer.get();
      } else {
        bodies.add(new String(body, StandardCharsets.UTF_8));
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void postsEachResultAndRetriesWithDoublingDelaysAfter503() {
    WebhookSink sink = sink(false, 5);
    sink.accept(result(1, Decision.OK));
    refuseNext.set(2);
    sink.accept(result(2, Decision.NOK));
    assertEquals(2, bodies.size());
    assertTrue(bodies.get(0).contains("\"frame\":\"part-1\"") && bodies.get(0).contains("\"decision\":\"OK\""),
        bodies.get(0));
    assertTrue(bodies.get(1).contains("\"frame\":\"part-2\"") && bodies.get(1).contains("\"threshold\":1.0"),
        bodies.get(1));
    assertEquals(List.of(100L, 200L), sleeps, "two retries, the delay doubled");
    assertEquals(List.of("Bearer itest", "Bearer itest"), authorizations);
    assertTrue(sink.state().contains("3 tries"), sink.state());
  }

  @Test
  void aRefusedRequestIsNotRetriedAndAnExhaustedOneFails() {
    WebhookSink sink = sink(false, 3);
    answer.set(400);
    refuseNext.set(1);
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> sink.accept(result(1, Decision.NOK)));
    assertTrue(refused.getMessage().contains("HTTP 400"), refused.getMessage());
    assertEquals(List.of(), sleeps, "400: the request is wrong, no retry");

    answer.set(503);
    refuseNext.set(5);
    assertThrows(IllegalStateException.class, () -> sink.accept(result(2, Decision.NOK)));
    assertEquals(List.of(100L, 200L), sleeps, "3 attempts, then counted as failed");
    assertTrue(sink.state().startsWith("failing"), sink.state());
  }

  @Test
  void onlyNokSkipsGoodParts() {
    WebhookSink sink = sink(true, 1);
    sink.accept(result(1, Decision.OK));
    sink.accept(result(2, Decision.NOK));
    assertEquals(1, bodies.size());
    assertTrue(bodies.get(0).contains("part-2"));
  }

  private WebhookSink sink(boolean onlyNok, int attempts) {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/results");
    return new WebhookSink(url, onlyNok, attempts, 100, Duration.ofSeconds(30), "Bearer itest", sleeps::add);
  }

  private static InspectionResult result(int sequence, Decision decision) {
    Detection detection = new Detection(new AnomalyMap(1, 1, new float[] {1}), decision == Decision.NOK ? 2 : 0.5, 1,
        decision);
    return new InspectionResult(sequence, null, "part-" + sequence, "line", "tiles", detection, null,
        Duration.ofMillis(20), Instant.parse("2026-12-01T10:00:00Z"), 1.0);
  }
}
