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
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * The eligibility-trace step E = decay * E + alpha * x y' (decayed rank-1 update) on an m x n E,
 * scalar reference against Vector API, f32 and f64. Memory bound: E is read and written once,
 * 2 m n element sizes of traffic, and 3 m n flops. 128 x 128 (64 KiB in f32) is the trace of the
 * reference RNN and sits in L2; 1024 x 1024 (4 MiB f32, 8 MiB f64) comes from L3.
 *
 * <p>Modes and units as in {@link Level1Benchmark}: avgt gives ns/op; in thrpt the
 * {@code :bytes} row (E read + written) is GB/s and {@code :flops} GFLOP/s. Target on Zen 4:
 * >= 90 GB/s while E fits in cache. Run e.g. {@code java --add-modules jdk.incubator.vector
 * -jar jmh/target/benchmarks.jar Rank1Benchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -bm thrpt}.
 */
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
@State(Scope.Thread)
public class Rank1Benchmark {

  @Param({"scalar", "vector"})
  public String provider;

  /** "MxN". */
  @Param({"64x64", "128x128", "256x256", "1024x1024"})
  public String shape;

  private FloatKernels f32;
  private DoubleKernels f64;
  private int m;
  private int n;
  private float[] e;
  private float[] x;
  private float[] y;
  private double[] ed;
  private double[] xd;
  private double[] yd;

  @Setup
  public void setup() {
    boolean scalar = provider.equals("scalar");
    f32 = scalar ? Kernels.scalarF32() : Kernels.vectorF32();
    f64 = scalar ? Kernels.scalarF64() : Kernels.vectorF64();
    String[] dims = shape.split("x");
    m = Integer.parseInt(dims[0]);
    n = Integer.parseInt(dims[1]);
    SplittableRandom rnd = new SplittableRandom(42);
    ed = GemmBenchmark.random(rnd, m * n);
    xd = GemmBenchmark.random(rnd, m);
    yd = GemmBenchmark.random(rnd, n);
    e = GemmBenchmark.toFloat(ed);
    x = GemmBenchmark.toFloat(xd);
    y = GemmBenchmark.toFloat(yd);
  }

  // decay 0.9: E converges to x y' / 0.1 (no growth, no denormals)

  @Benchmark
  public float[] f32(Traffic t) {
    t.count(m, n, Float.BYTES);
    f32.decayedRank1(m, n, 0.9f, 1f, x, 0, y, 0, e, 0, n);
    return e;
  }

  @Benchmark
  public double[] f64(Traffic t) {
    t.count(m, n, Double.BYTES);
    f64.decayedRank1(m, n, 0.9, 1, xd, 0, yd, 0, ed, 0, n);
    return ed;
  }

  /** Bytes of E read and written, and flops, per ns in thrpt mode (GB/s, GFLOP/s). */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Traffic {
    public long bytes;
    public long flops;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
      flops = 0;
    }

    void count(int m, int n, int elementBytes) {
      bytes += 2L * elementBytes * m * n;
      flops += 3L * m * n;
    }
  }
}
