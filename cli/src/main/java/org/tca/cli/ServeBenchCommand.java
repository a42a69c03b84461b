package org.tca.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tca.embed.LatencyProbe;
import org.tca.embed.LearnerClient;
import org.tca.embed.ServiceError;
import org.tca.numerics.random.RandomStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tca serve-bench --dir DIR}: the Java client's round-trip latency against a running
 * {@code tca serve} on DIR ({@link LatencyProbe}): first PING (the transport alone), then one
 * online step with learning of the latency learner (e-prop, N = 128, N_in = 28, N_out = 1, B = 1,
 * MSE, SGD, T = 100; the learner of python/examples/latency.py).
 */
@Command(name = "serve-bench", mixinStandardHelpOptions = true,
    description = "Time Java-client round trips (PING, then step + learn) to a running tca serve.")
final class ServeBenchCommand implements Callable<Integer> {

  @Option(names = "--dir", required = true, paramLabel = "DIR",
      description = "Directory a tca serve is serving.")
  Path dir;

  @Option(names = "--rule", defaultValue = "eprop", paramLabel = "RULE",
      description = "Online rule (default: ${DEFAULT-VALUE}).")
  String rule;

  @Option(names = "--hidden", defaultValue = "128", paramLabel = "N",
      description = "Hidden units N (default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(names = "--warmup", defaultValue = "20000", paramLabel = "CALLS",
      description = "Untimed calls of each kind first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--calls", defaultValue = "20000", paramLabel = "CALLS",
      description = "Timed calls of each kind (default: ${DEFAULT-VALUE}).")
  int calls;

  @Override
  public Integer call() throws IOException {
    if (hidden < 1 || warmup < 0 || calls < 1) {
      throw new UsageException("--hidden and --calls must be >= 1, --warmup >= 0");
    }
    String json = "{\"name\": \"latency-java-" + rule + "\", \"inputs\": 28, \"hidden\": " + hidden
        + ", \"outputs\": 1, \"loss\": \"mse\", \"rule\": \"" + rule + "\", \"optimizer\": "
        + "\"sgd\", \"lr\": 0.0001, \"seed\": 1, \"steps\": 100}";
    float[] x = new float[28];
    RandomStream r = new RandomStream(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    float[] target = {0.5f};
    LearnerClient client;
    try {
      client = LearnerClient.connect(dir, 10_000);
    } catch (IOException e) {
      throw new UsageException("--dir " + dir + ": " + e.getMessage());
    }
    try (client) {
      try {
        client.open(json);
      } catch (ServiceError e) {
        throw new UsageException("--rule " + rule + ": " + e.getMessage());
      }
      for (LatencyProbe.Call c : LatencyProbe.Call.values()) {
        System.out.println(LatencyProbe.measure(client, c, warmup, calls, x, target).line());
      }
      // other processes on the same cores show in the tails
      System.out.printf("load average (1 min): %.1f%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
    return 0;
  }
}
