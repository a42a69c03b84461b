package org.tca.numerics.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same inputs give the same bits whether a kernel runs interpreted or C2-compiled: a
 * training run must be reproducible from its seed, whenever the JIT happens to compile what.
 * Oracle: a child JVM with {@code -Xint} (never compiles) computes fingerprints of every kernel's
 * output; this JVM computes them again after warming the kernels up until C2 has compiled them.
 * Covered: the reductions, gemv, gemm, every activation's f, f' and g * f' (f32 and f64, on
 * Gaussian inputs and on 40x wider ones with the specials, so that the vector exp's overflow,
 * underflow and subnormal paths and tanh's two branches and saturation all run) and the row
 * kernels (short rows and rows of several vectors).
 */
class KernelDeterminismTest {

  /** Prints one fingerprint line per kernel for the vector f32 and f64 providers. */
  public static void main(String[] args) {
    for (String line : fingerprints(1)) {
      System.out.println(line);
    }
  }

  static List<String> fingerprints(int repeats) {
    List<String> out = new ArrayList<>();
    FloatKernels f = Kernels.vectorF32();
    DoubleKernels d = Kernels.vectorF64();
    SplittableRandom r = new SplittableRandom(42);
    int n = 203;
    float[] x = new float[n * 37];
    float[] y = new float[n * 37];
    double[] xd = new double[n * 37];
    double[] yd = new double[n * 37];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
      y[i] = (float) r.nextGaussian();
      xd[i] = r.nextGaussian();
      yd[i] = r.nextGaussian();
    }
    int[] labels = new int[37];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 10;
    }
    for (int rep = 0; rep < repeats; rep++) {
      out.clear();
      out.add("dot " + Float.floatToIntBits(f.dot(n, x, 0, y, 0))
          + " " + Double.doubleToLongBits(d.dot(n, xd, 0, yd, 0)));
      out.add("sum " + Float.floatToIntBits(f.sum(n, x, 0))
          + " " + Double.doubleToLongBits(d.sum(n, xd, 0)));
      out.add("sumSquares " + Float.floatToIntBits(f.sumSquares(n, x, 0))
          + " " + Double.doubleToLongBits(d.sumSquares(n, xd, 0)));
      float[] v = new float[37];
      f.gemv(37, n, 1f, x, 0, n, y, 0, v, 0);
      out.add("gemv " + hash(v));
      double[] vd = new double[37];
      d.gemv(37, n, 1.0, xd, 0, n, yd, 0, vd, 0);
      out.add("gemv64 " + hash(vd));
      float[] c = new float[37 * 5];
      f.gemm(false, true, 37, 5, n, 1f, x, 0, n, y, 0, n, c, 0, 5); // thin: per-column dots
      out.add("gemmThin " + hash(c));
      float[] c2 = new float[37 * 37];
      f.gemm(false, true, 37, 37, n, 1f, x, 0, n, y, 0, n, c2, 0, 37);
      out.add("gemmNT " + hash(c2));
      float[] w = wide(x);
      double[] wd = wide(xd);
      for (Activation a : Activation.values()) {
        float[] z = new float[x.length];
        f.activation(a, x.length, x, 0, z, 0);
        float[] dz = new float[x.length];
        f.mulActivationDerivative(a, x.length, x, 0, y, 0, dz, 0);
        double[] zd = new double[xd.length];
        d.activation(a, xd.length, xd, 0, zd, 0);
        float[] zw = new float[w.length];
        f.activation(a, w.length, w, 0, zw, 0);
        float[] dzw = new float[w.length];
        f.activationDerivative(a, w.length, w, 0, dzw, 0);
        double[] zwd = new double[wd.length];
        d.activation(a, wd.length, wd, 0, zwd, 0);
        double[] dzwd = new double[wd.length];
        d.activationDerivative(a, wd.length, wd, 0, dzwd, 0);
        double[] gzwd = new double[wd.length];
        d.mulActivationDerivative(a, wd.length, wd, 0, yd, 0, gzwd, 0);
        out.add(a.id() + " " + hash(z) + " " + hash(dz) + " " + hash(zd) + " " + hash(zw) + " "
            + hash(dzw) + " " + hash(zwd) + " " + hash(dzwd) + " " + hash(gzwd));
      }
      float[] g = new float[37 * 10];
      float loss = f.softmaxCrossEntropy(37, 10, x, 0, 10, labels, 0, g, 0, 10);
      out.add("softmaxCE " + Float.floatToIntBits(loss) + " " + hash(g));
      float[] sm = new float[37 * 10];
      f.logSoftmaxRows(37, 10, x, 0, 10, sm, 0, 10);
      out.add("logSoftmax " + hash(sm));
      float[] p = new float[37 * 50];
      f.softmaxRows(37, 50, w, 0, 50, p, 0, 50); // rows of several vectors, extreme logits
      double[] pd = new double[37 * 50];
      d.softmaxRows(37, 50, wd, 0, 50, pd, 0, 50);
      double[] gd = new double[37 * 10];
      double lossD = d.softmaxCrossEntropy(37, 10, xd, 0, 10, labels, 0, gd, 0, 10);
      out.add("softmax " + hash(p) + " " + hash(pd) + " " + Double.doubleToLongBits(lossD) + " "
          + hash(gd));
    }
    return out;
  }

  /**
   * 40 x (then every overflow, underflow and saturation path is taken) over the first 37 * 50
   * elements, with the specials 0, -0, +-Inf, NaN and a subnormal at the start.
   */
  private static float[] wide(float[] x) {
    float[] w = new float[37 * 50];
    for (int i = 0; i < w.length; i++) {
      w[i] = 40 * x[i];
    }
    float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.MIN_VALUE, 1e-30f, -1e-30f, 100f, -100f, 1e4f, -1e4f, 800f, -800f};
    System.arraycopy(specials, 0, w, 0, specials.length);
    return w;
  }

  private static double[] wide(double[] x) {
    double[] w = new double[37 * 50];
    for (int i = 0; i < w.length; i++) {
      w[i] = 40 * x[i];
    }
    double[] specials = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.NaN, Double.MIN_VALUE, 1e-300, -1e-300, 100, -100, 1e4, -1e4, 800, -800};
    System.arraycopy(specials, 0, w, 0, specials.length);
    return w;
  }

  private static long hash(float[] a) {
    long h = 1;
    for (float v : a) {
      h = 31 * h + Float.floatToIntBits(v);
    }
    return h;
  }

  private static long hash(double[] a) {
    long h = 1;
    for (double v : a) {
      h = 31 * h + Double.doubleToLongBits(v);
    }
    return h;
  }

  @Test
  void compiledKernelsGiveTheInterpretersBits() throws IOException, InterruptedException {
    List<String> compiled = fingerprints(3000); // long enough for C2 to compile every kernel
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Xint", "--add-modules", "jdk.incubator.vector",
        "-cp", System.getProperty("java.class.path"), KernelDeterminismTest.class.getName())
        .redirectErrorStream(false)
        .start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(120, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), stderr);
    assertEquals(String.join("\n", compiled), stdout.strip());
  }
}
