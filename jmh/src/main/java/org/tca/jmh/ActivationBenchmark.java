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
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * f32 elementwise and row kernels, scalar reference against Vector API, at the sizes of one
 * recurrent step of the reference configuration (N = 128 units, batch B = 256; 10 classes):
 * <ul>
 *   <li>forward: y = f(x) over n = 128 * 256 elements (reads 4n, writes 4n bytes);</li>
 *   <li>backward: y = g * f'(x) over the same n (reads 8n, writes 4n bytes);</li>
 *   <li>crossEntropy: softmax cross-entropy of 256 x 10 logits with the gradient
 *       (reads the logits and labels, writes the gradient);</li>
 *   <li>softmax: row softmax y = exp(x - max) / sum over about n = 32768 elements, as
 *       32768 / classes rows of {@code classes} logits (reads 4n, writes 4n bytes).</li>
 * </ul>
 * Modes and units as in {@link Level1Benchmark}: avgt for ns/op; in thrpt the {@code :bytes}
 * and {@code :elements} rows are GB/s and Gelements/s. Run e.g.
 * {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * ActivationBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1}.
 */
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
public class ActivationBenchmark {

  static final int N = 128 * 256;
  static final int ROWS = 256;
  static final int CLASSES = 10;

  /** Inputs of the elementwise kernels. */
  @State(Scope.Thread)
  public static class Elementwise {
    @Param({"scalar", "vector"})
    public String provider;

    @Param({"identity", "relu", "tanh", "softplus", "sigmoid"})
    public String activation;

    FloatKernels k;
    Activation f;
    final float[] x = new float[N];
    final float[] g = new float[N];
    final float[] y = new float[N];

    @Setup
    public void setup() {
      k = provider.equals("scalar") ? Kernels.scalarF32() : Kernels.vectorF32();
      f = Activation.parse(activation);
      SplittableRandom rnd = new SplittableRandom(42);
      for (int i = 0; i < N; i++) {
        x[i] = (float) rnd.nextDouble(-4, 4);
        g[i] = (float) rnd.nextDouble(-1, 1);
      }
    }
  }

  /** Logits, labels and gradient of the cross-entropy. */
  @State(Scope.Thread)
  public static class Logits {
    @Param({"scalar", "vector"})
    public String provider;

    FloatKernels k;
    final float[] x = new float[ROWS * CLASSES];
    final float[] grad = new float[ROWS * CLASSES];
    final int[] labels = new int[ROWS];

    @Setup
    public void setup() {
      k = provider.equals("scalar") ? Kernels.scalarF32() : Kernels.vectorF32();
      SplittableRandom rnd = new SplittableRandom(43);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rnd.nextDouble(-3, 3);
      }
      for (int r = 0; r < ROWS; r++) {
        labels[r] = rnd.nextInt(CLASSES);
      }
    }
  }

  /** Logits of the row softmax: n / classes rows. */
  @State(Scope.Thread)
  public static class SoftmaxRows {
    @Param({"scalar", "vector"})
    public String provider;

    @Param({"10", "128"})
    public int classes;

    FloatKernels k;
    int rows;
    float[] x;
    float[] y;

    @Setup
    public void setup() {
      k = provider.equals("scalar") ? Kernels.scalarF32() : Kernels.vectorF32();
      rows = N / classes;
      x = new float[rows * classes];
      y = new float[rows * classes];
      SplittableRandom rnd = new SplittableRandom(44);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rnd.nextDouble(-3, 3);
      }
    }
  }

  @Benchmark
  public void forward(Elementwise s, Traffic t) {
    t.count(8L * N, N);
    s.k.activation(s.f, N, s.x, 0, s.y, 0);
  }

  @Benchmark
  public void backward(Elementwise s, Traffic t) {
    t.count(12L * N, N);
    s.k.mulActivationDerivative(s.f, N, s.x, 0, s.g, 0, s.y, 0);
  }

  @Benchmark
  public float crossEntropy(Logits s, Traffic t) {
    t.count(8L * ROWS * CLASSES + 4L * ROWS, (long) ROWS * CLASSES);
    return s.k.softmaxCrossEntropy(ROWS, CLASSES, s.x, 0, CLASSES, s.labels, 0, s.grad, 0, CLASSES);
  }

  @Benchmark
  public void softmax(SoftmaxRows s, Traffic t) {
    t.count(8L * s.x.length, s.x.length);
    s.k.softmaxRows(s.rows, s.classes, s.x, 0, s.classes, s.y, 0, s.classes);
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
