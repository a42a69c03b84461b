package org.tca.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * f32 level-1 kernels, scalar reference against Vector API, on in-cache arrays:
 * dot = sum_i x_i y_i (reads 8n bytes), axpy y += alpha x (reads 8n, writes 4n bytes),
 * sum = sum_i x_i (reads 4n bytes).
 *
 * <p>Two modes: {@code avgt} gives the time per call (ns/op); in {@code thrpt} the secondary
 * results {@code :bytes} and {@code :elements} are per nanosecond, i.e. GB/s and
 * Gelements/s (ignore those two rows in avgt mode, where JMH inverts them). Run e.g.
 * {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar Level1Benchmark
 * -f 1 -wi 3 -w 1 -i 5 -r 1}; add {@code -bm avgt} for times only.
 */
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
@State(Scope.Thread)
public class Level1Benchmark {

  @Param({"scalar", "vector"})
  public String provider;

  @Param({"128", "1024", "16384"})
  public int n;

  private FloatKernels k;
  private float[] x;
  private float[] y;
  private float alpha;

  @Setup
  public void setup() {
    k = provider.equals("scalar") ? Kernels.scalarF32() : Kernels.vectorF32();
    SplittableRandom rnd = new SplittableRandom(42);
    x = new float[n];
    y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextDouble(-1, 1);
      y[i] = (float) rnd.nextDouble(-1, 1);
    }
    // Small, so that y drifts by well under 1 over a run of ~1e9 calls: no overflow, no denormals.
    alpha = 1e-9f;
  }

  @Benchmark
  public float dot(Traffic t) {
    t.count(8L * n, n);
    return k.dot(n, x, 0, y, 0);
  }

  @Benchmark
  public void axpy(Traffic t) {
    t.count(12L * n, n);
    k.axpy(n, alpha, x, 0, y, 0);
  }

  @Benchmark
  public float sum(Traffic t) {
    t.count(4L * n, n);
    return k.sum(n, x, 0);
  }

  /** Bytes moved and elements processed, reported per ns in thrpt mode (GB/s, Gelem/s). */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Traffic {
    public long bytes;
    public long elements;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
      elements = 0;
    }

    void count(long b, long e) {
      bytes += b;
      elements += e;
    }
  }
}
