package io.vigil.sink.webhook.internal;

import io.vigil.api.detector.Decision;
import io.vigil.api.detector.Detection;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.sink.common.ResultJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * POSTs each result as JSON (the MQTT sink's fields) and retries a failed post (no answer, or
 * 5xx / 429) with doubling delays; 4xx other than 429 is not retried (the request is wrong).
 * Runs on the sink's own thread, so retries hold up only this sink's queue.
 */
@Component(name = "io.vigil.sink.webhook", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = WebhookConfiguration.class, factory = true)
public class WebhookSink implements ResultSink {
  private final URI url;
  private final boolean onlyNok;
  private final int attempts;
  private final long retryMillis;
  private final Duration timeout;
  private final String authorization;
  private final HttpClient client;
  private final Sleeper sleeper;
  private volatile String state = "nothing posted yet";

  /** Waits between attempts; tests pass one that does not. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  @Activate
  public WebhookSink(WebhookConfiguration configuration) {
    this(URI.create(configuration.url()), configuration.only_nok(), configuration.attempts(), configuration.retry_ms(),
        Duration.ofMillis(configuration.timeout_ms()), configuration.authorization(), Thread::sleep);
  }

  WebhookSink(URI url, boolean onlyNok, int attempts, long retryMillis, Duration timeout, String authorization,
      Sleeper sleeper) {
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException("webhook URL must be http or https: " + url);
    }
    this.url = url;
    this.onlyNok = onlyNok;
    this.attempts = Math.max(1, attempts);
    this.retryMillis = Math.max(1, retryMillis);
    this.timeout = timeout;
    this.authorization = authorization == null ? "" : authorization;
    this.sleeper = sleeper;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public void accept(InspectionResult result) {
    Detection detection = result.detection();
    if (onlyNok && detection != null && detection.decision() == Decision.OK) {
      return;
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(ResultJson.of(result)));
    if (!authorization.isBlank()) {
      request.header("Authorization", authorization);
    }
    long delay = retryMillis;
    String problem = "";
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        int status = response.statusCode();
        if (status / 100 == 2) {
          state = "posting to " + url + (attempt > 1 ? " (last post took " + attempt + " tries)" : "");
          return;
        }
        problem = "HTTP " + status;
        if (status / 100 == 4 && status != 429) {
          break; // the request itself is refused: trying again does not help
        }
      } catch (IOException e) {
        problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted posting " + result.frameId(), e);
      }
      if (attempt < attempts) {
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted posting " + result.frameId(), e);
        }
        delay *= 2;
      }
    }
    state = "failing: " + url + " answered " + problem;
    throw new IllegalStateException("webhook " + url + " refused " + result.frameId() + ": " + problem);
  }

  @Override
  public String state() {
    return state;
  }

}
