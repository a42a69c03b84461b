package org.tca.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * Settings of a learner service ({@code tca serve --config FILE}, a JSON object; every key
 * optional): {@code slots} (clients served at once, 8), {@code request_ring_bytes} and
 * {@code reply_ring_bytes} (powers of two, 65536), {@code max_parameters} (per learner,
 * 1048576), {@code client_timeout_ms} (a client silent this long loses its slot, its learner
 * snapshotted first; 60000) and {@code idle} (what the service thread does when no request
 * waits: {@code busy-spin} for the lowest latency on a dedicated core, {@code yield},
 * {@code backoff} (spin, then yield, then park up to 1 ms; the default, for shared machines) or
 * {@code sleep} (1 ms)).
 */
public record ServiceConfig(IpcLayout layout, long clientTimeoutMs, String idle) {

  private static final Set<String> KEYS = Set.of("slots", "request_ring_bytes",
      "reply_ring_bytes", "max_parameters", "client_timeout_ms", "idle");
  private static final Set<String> IDLE = Set.of("busy-spin", "yield", "backoff", "sleep");

  /** Validates. */
  public ServiceConfig {
    if (clientTimeoutMs < 1) {
      throw new IllegalArgumentException("client_timeout_ms must be >= 1, got " + clientTimeoutMs);
    }
    if (!IDLE.contains(idle)) {
      throw new IllegalArgumentException("idle must be one of busy-spin, yield, backoff, sleep; got '"
          + idle + "'");
    }
  }

  /** The defaults. */
  public static ServiceConfig defaults() {
    return new ServiceConfig(new IpcLayout(8, 1 << 16, 1 << 16, 1 << 20), 60_000, "backoff");
  }

  /** This config with another idle strategy. */
  public ServiceConfig withIdle(String strategy) {
    return new ServiceConfig(layout, clientTimeoutMs, strategy);
  }

  /** A fresh idle strategy of the configured kind. */
  public IdleStrategy newIdleStrategy() {
    return switch (idle) {
      case "busy-spin" -> new BusySpinIdleStrategy();
      case "yield" -> new YieldingIdleStrategy();
      case "sleep" -> new SleepingMillisIdleStrategy(1);
      default -> new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
    };
  }

  /** Reads a config file; errors name the file and the key. */
  public static ServiceConfig read(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + ": must hold a JSON object");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException(file + ": unknown key '" + k + "' (known: "
            + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
      }
    }
    ServiceConfig d = defaults();
    try {
      IpcLayout l = new IpcLayout(integer(root, "slots", d.layout.slots()),
          integer(root, "request_ring_bytes", d.layout.requestCapacity()),
          integer(root, "reply_ring_bytes", d.layout.replyCapacity()),
          integer(root, "max_parameters", d.layout.maxParameters()));
      return new ServiceConfig(l, integer(root, "client_timeout_ms", (int) d.clientTimeoutMs),
          root.has("idle") ? root.get("idle").asText() : d.idle);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage());
    }
  }

  private static int integer(JsonNode root, String key, int dflt) {
    JsonNode v = root.get(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException("key '" + key + "' must be an integer");
    }
    return v.asInt();
  }
}
