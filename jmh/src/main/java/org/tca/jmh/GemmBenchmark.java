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
 * GEMM, C += alpha * op(A) * op(B) (2 m n k flops), scalar reference against Vector API, f32
 * ({@code f32}) and f64 ({@code f64}). Shapes are "TT:MxNxK" with TT the transposes of A and B:
 * squares n = 128..1024, and the two products of a BPTT step of the reference RNN (N = 128 units,
 * batch B = 256, T = 28): the batched recurrent step (B x N)(N x N), as NN and as NT (W'
 * stored untransposed), and the weight gradient Delta' H with the time axis folded into the
 * inner dimension (k = T B = 7168). Any other shape runs with {@code -p shape=NT:300x200x100}.
 *
 * <p>Modes and units as in {@link Level1Benchmark}: avgt gives ns/op; in thrpt the
 * {@code :flops} row is flops per ns, i.e. GFLOP/s (ignore it in avgt, where JMH inverts it).
 * Targets on Zen 4 (one core): SGEMM >= 85 GFLOP/s, DGEMM >= 40. Run e.g.
 * {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar GemmBenchmark
 * -p provider=vector -f 1 -wi 3 -w 1 -i 5 -r 1 -bm thrpt}. The scalar 1024^3 product takes
 * about half a second per call.
 */
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
@State(Scope.Thread)
public class GemmBenchmark {

  @Param({"scalar", "vector"})
  public String provider;

  @Param({"NN:128x128x128", "NN:256x256x256", "NN:512x512x512", "NN:1024x1024x1024",
      "NN:256x128x128", "NT:256x128x128", "TN:128x128x7168"})
  public String shape;

  private FloatKernels f32;
  private DoubleKernels f64;
  private boolean transA;
  private boolean transB;
  private int m;
  private int n;
  private int k;
  private int lda;
  private int ldb;
  private long flops;
  private float[] a;
  private float[] b;
  private float[] c;
  private double[] ad;
  private double[] bd;
  private double[] cd;

  @Setup
  public void setup() {
    boolean scalar = provider.equals("scalar");
    f32 = scalar ? Kernels.scalarF32() : Kernels.vectorF32();
    f64 = scalar ? Kernels.scalarF64() : Kernels.vectorF64();
    String[] parts = shape.split(":");
    String[] dims = parts[1].split("x");
    transA = parts[0].charAt(0) == 'T';
    transB = parts[0].charAt(1) == 'T';
    m = Integer.parseInt(dims[0]);
    n = Integer.parseInt(dims[1]);
    k = Integer.parseInt(dims[2]);
    lda = transA ? m : k;
    ldb = transB ? k : n;
    flops = 2L * m * n * k;
    SplittableRandom rnd = new SplittableRandom(42);
    ad = random(rnd, m * k);
    bd = random(rnd, k * n);
    cd = random(rnd, m * n);
    a = toFloat(ad);
    b = toFloat(bd);
    c = toFloat(cd);
  }

  /** C += alpha op(A) op(B) in f32; C grows linearly over a run, far from overflow. */
  @Benchmark
  public float[] f32(Flops counter) {
    counter.flops += flops;
    f32.gemm(transA, transB, m, n, k, 1e-3f, a, 0, lda, b, 0, ldb, c, 0, n);
    return c;
  }

  /** The same in f64. */
  @Benchmark
  public double[] f64(Flops counter) {
    counter.flops += flops;
    f64.gemm(transA, transB, m, n, k, 1e-3, ad, 0, lda, bd, 0, ldb, cd, 0, n);
    return cd;
  }

  /** Floating-point operations, per ns in thrpt mode (GFLOP/s). */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Flops {
    public long flops;

    @Setup(Level.Iteration)
    public void reset() {
      flops = 0;
    }
  }

  static double[] random(SplittableRandom rnd, int len) {
    double[] v = new double[len];
    for (int i = 0; i < len; i++) {
      v[i] = (float) rnd.nextDouble(-1, 1); // representable in both precisions
    }
    return v;
  }

  static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }
}
