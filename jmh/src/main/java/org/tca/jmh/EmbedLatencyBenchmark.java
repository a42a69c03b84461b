package org.tca.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.agrona.concurrent.AgentRunner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tca.embed.LearnerClient;
import org.tca.embed.LearnerConfig;
import org.tca.embed.LearnerService;
import org.tca.embed.OnlineLearner;
import org.tca.embed.ServiceConfig;
import org.tca.numerics.random.RandomStream;

/**
 * Embedding latency (issue 13, "Targets"), f32: one online e-prop step with learning (N = 128,
 * N_in = 28, N_out = 1, B = 1, MSE, SGD, T = 100; the learner of python/examples/latency.py)
 * <ul>
 *   <li>{@code roundTrip}: from the Java client ({@link LearnerClient#step}) through the shared
 *       memory rings to a {@link LearnerService} on its own busy-spinning thread in this JVM and
 *       back: request encode, ring write, service read, step + learn, reply, client read;</li>
 *   <li>{@code ping}: an empty PING round trip, the transport alone;</li>
 *   <li>{@code inProcess}: the same step on an {@link OnlineLearner} called directly (compute
 *       only); roundTrip - inProcess is the transport (and the weight publication it overlaps).
 * </ul>
 * SampleTime mode: JMH times every call and prints the median, p90, p99 and p99.9. The round
 * trip needs two free cores (client and service both spin). Targets: round trip median &lt;= 5 us
 * from Java.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * EmbedLatencyBenchmark -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE,
    JmhFlags.ADD_EXPORTS, JmhFlags.AGRONA_EXPORT})
public class EmbedLatencyBenchmark {

  static final String CONFIG = "{\"name\": \"latency\", \"inputs\": 28, \"hidden\": 128, "
      + "\"outputs\": 1, \"loss\": \"mse\", \"rule\": \"eprop\", \"optimizer\": \"sgd\", "
      + "\"lr\": 0.0001, \"seed\": 1, \"steps\": 100}";

  static final int WARMUP_CALLS = 20_000;

  /** x_t, the target and y_t. */
  @State(Scope.Thread)
  public static class Io {
    final float[] x = new float[28];
    final float[] target = {0.5f};
    final float[] y = new float[1];

    @Setup(Level.Trial)
    public void setUp() {
      RandomStream r = new RandomStream(1);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextGaussian();
      }
    }
  }

  /** A busy-spinning service in a temporary directory and one client of it. */
  @State(Scope.Benchmark)
  public static class Served {
    Path dir;
    LearnerService service;
    AgentRunner runner;
    LearnerClient client;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("tca-embed-latency");
      service = new LearnerService(dir, ServiceConfig.defaults().withIdle("busy-spin"));
      runner = service.start();
      client = LearnerClient.connect(dir, 10_000);
      client.open(CONFIG);
      // JMH's warm-up is timed (2 x 2 s): on a loaded 2-vCPU machine that was a few dozen calls
      // while the service thread still ran the interpreted Vector API (171 us+ medians, see
      // README). Warm both sides up by count, as tca serve-bench does, before any timing.
      Io io = new Io();
      io.setUp();
      for (int i = 0; i < WARMUP_CALLS; i++) {
        client.step(io.x, io.target, 0, true, io.y);
        client.ping();
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      client.close();
      runner.close();
      service.close();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** The learner alone. */
  @State(Scope.Thread)
  public static class Local {
    OnlineLearner learner;

    @Setup(Level.Trial)
    public void setUp() {
      learner = new OnlineLearner(LearnerConfig.parse(CONFIG));
    }
  }

  @Benchmark
  public double roundTrip(Served s, Io io) {
    return s.client.step(io.x, io.target, 0, true, io.y);
  }

  /** An empty request and its reply: the transport alone. */
  @Benchmark
  public void ping(Served s) {
    s.client.ping();
  }

  @Benchmark
  public double inProcess(Local l, Io io) {
    return l.learner.step(io.x, 0, io.target, 0, 0, true, io.y, 0);
  }
}
