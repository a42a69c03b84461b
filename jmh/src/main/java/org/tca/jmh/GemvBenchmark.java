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
 * Matrix-vector products on a row-major m x n A, scalar reference against Vector API, f32 and
 * f64: {@code gemv} y += alpha A x and {@code gemvT} y += alpha A' x, 2 m n flops each, reading
 * the m n elements of A once (bandwidth bound: 4 or 8 bytes per 2 flops). 128 x 128 (64 KiB
 * in f32) is the recurrent matrix of the reference RNN and sits in L2; 1024 x 1024 (4 MiB) comes
 * from L3.
 *
 * <p>Modes and units as in {@link Level1Benchmark}: avgt gives ns/op; in thrpt the
 * {@code :flops} row is GFLOP/s and {@code :bytes} (the bytes of A) GB/s. Target on Zen 4:
 * SGEMV >= 30 GFLOP/s. Run e.g. {@code java --add-modules jdk.incubator.vector -jar
 * jmh/target/benchmarks.jar GemvBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -bm thrpt}.
 */
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
@State(Scope.Thread)
public class GemvBenchmark {

  @Param({"scalar", "vector"})
  public String provider;

  /** "MxN". */
  @Param({"128x128", "256x256", "1024x1024"})
  public String shape;

  private FloatKernels f32;
  private DoubleKernels f64;
  private int m;
  private int n;
  private float[] a;
  private float[] x;
  private float[] y;
  private double[] ad;
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
    int len = Math.max(m, n);
    ad = GemmBenchmark.random(rnd, m * n);
    xd = GemmBenchmark.random(rnd, len);
    yd = GemmBenchmark.random(rnd, len);
    a = GemmBenchmark.toFloat(ad);
    x = GemmBenchmark.toFloat(xd);
    y = GemmBenchmark.toFloat(yd);
  }

  // alpha = 1e-6: y drifts by well under its size over a run, no overflow, no denormals

  @Benchmark
  public float[] f32Gemv(Traffic t) {
    t.count(m, n, Float.BYTES);
    f32.gemv(m, n, 1e-6f, a, 0, n, x, 0, y, 0);
    return y;
  }

  @Benchmark
  public float[] f32GemvT(Traffic t) {
    t.count(m, n, Float.BYTES);
    f32.gemvT(m, n, 1e-6f, a, 0, n, x, 0, y, 0);
    return y;
  }

  @Benchmark
  public double[] f64Gemv(Traffic t) {
    t.count(m, n, Double.BYTES);
    f64.gemv(m, n, 1e-6, ad, 0, n, xd, 0, yd, 0);
    return yd;
  }

  @Benchmark
  public double[] f64GemvT(Traffic t) {
    t.count(m, n, Double.BYTES);
    f64.gemvT(m, n, 1e-6, ad, 0, n, xd, 0, yd, 0);
    return yd;
  }

  /** Flops and bytes of A, per ns in thrpt mode (GFLOP/s, GB/s). */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Traffic {
    public long flops;
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      flops = 0;
      bytes = 0;
    }

    void count(int m, int n, int elementBytes) {
      flops += 2L * m * n;
      bytes += (long) elementBytes * m * n;
    }
  }
}
