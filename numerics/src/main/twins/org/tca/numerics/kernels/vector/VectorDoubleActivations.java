package org.tca.numerics.kernels.vector;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.Objects;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.tca.numerics.kernels.Activation;

/**
 * Vector API elementwise activations y = f(x), derivatives y = f'(x) and the backward step
 * y = g * f'(x), for every {@link Activation}.
 *
 * <ul>
 *   <li>identity and relu run on whole vectors of {@code SPECIES_PREFERRED} (then a scalar tail):
 *       relu(x) = x if x &gt; 0 or x is NaN, else +0; relu'(x) = 1 if x &gt; 0 else 0 (0 at
 *       x = 0 and for NaN, exactly as {@link Activation#apply}). The backward step multiplies g
 *       by 1 or 0, so y = g * f'(x) holds bit for bit (signed zeros and NaN g included).</li>
 *   <li>tanh, softplus and sigmoid (and their derivatives) run {@link VectorDoubleMath} on
 *       whole vectors (the last partial one through a scratch copy, no scalar tail), so every
 *       element goes through the same arithmetic wherever it sits in the array (the bits of
 *       y_i depend on x_i only, not on n or the offset). VectorDoubleMath uses exactly
 *       specified IEEE operations only, so the results are the same interpreted and
 *       C2-compiled; they are within a few u of the reference {@link Activation} (StrictMath),
 *       not bit-equal to it (bounds in VectorDoubleMath). The backward step is g * f'(x), one
 *       rounding after f'.</li>
 * </ul>
 * y may alias x (and g), element for element.
 */
final class VectorDoubleActivations {

  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorDoubleActivations() {}

  static void activation(Activation f, int n, double[] x, int xOff, double[] y, int yOff) {
    switch (f) {
      case IDENTITY -> copy(n, x, xOff, y, yOff);
      case RELU -> relu(n, x, xOff, y, yOff);
      default -> smooth(forward(f), n, x, xOff, null, 0, y, yOff);
    }
  }

  static void activationDerivative(Activation f, int n, double[] x, int xOff, double[] y, int yOff) {
    switch (f) {
      case IDENTITY -> Arrays.fill(y, yOff, yOff + n, 1d);
      case RELU -> reluDerivative(n, x, xOff, y, yOff);
      default -> smooth(derivative(f), n, x, xOff, null, 0, y, yOff);
    }
  }

  static void mulActivationDerivative(Activation f, int n, double[] x, int xOff,
      double[] g, int gOff, double[] y, int yOff) {
    switch (f) {
      case IDENTITY -> copy(n, g, gOff, y, yOff);
      case RELU -> mulReluDerivative(n, x, xOff, g, gOff, y, yOff);
      default -> smooth(derivative(f), n, x, xOff, g, gOff, y, yOff);
    }
  }

  // tanh, softplus and sigmoid. C2 has to inline the vector exp and everything around it into
  // one compilation, or it boxes every vector that crosses a call (about 1 KB allocated per
  // vector, 10-30x slower). Its inlining budget (NodeCountInliningCutoff, 18000 nodes) holds
  // one exp (about 8500 nodes; every Vector API call costs 300-500, a masked load or store
  // about 2000) plus one activation's other operations, not two. Hence one small kernel method
  // per function (a single exp call site, no masks: the last partial vector goes through a
  // per-thread scratch copy, so each y_i still depends on x_i only, not on n or the offset),
  // called through a method handle that is not a compile-time constant: C2 cannot inline such
  // a call, so each kernel is compiled on its own, whatever calls it and however many
  // activations a program uses.

  private static final int TANH = 0;
  private static final int TANH_DERIVATIVE = 1;
  private static final int SOFTPLUS = 2;
  private static final int SIGMOID = 3;
  private static final int SIGMOID_DERIVATIVE = 4;
  private static final MethodHandle[] KERNELS = kernels("tanhKernel", "tanhDerivativeKernel",
      "softplusKernel", "sigmoidKernel", "sigmoidDerivativeKernel");

  /** Scratch for the last partial vector: x at [0, L), g at [L, 2L), y at [2L, 3L). */
  private static final ThreadLocal<double[]> TAIL = ThreadLocal.withInitial(() -> new double[3 * L]);

  private static MethodHandle[] kernels(String... names) {
    MethodType type = MethodType.methodType(void.class, int.class, double[].class, int.class,
        double[].class, int.class, double[].class, int.class);
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    MethodHandle[] handles = new MethodHandle[names.length];
    try {
      for (int i = 0; i < names.length; i++) {
        handles[i] = lookup.findStatic(VectorDoubleActivations.class, names[i], type);
      }
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
    return handles;
  }

  private static int forward(Activation f) {
    return switch (f) {
      case TANH -> TANH;
      case SOFTPLUS -> SOFTPLUS;
      case SIGMOID -> SIGMOID;
      default -> throw new IllegalArgumentException(f.toString());
    };
  }

  private static int derivative(Activation f) {
    return switch (f) {
      case TANH -> TANH_DERIVATIVE;
      case SOFTPLUS -> SIGMOID;
      case SIGMOID -> SIGMOID_DERIVATIVE;
      default -> throw new IllegalArgumentException(f.toString());
    };
  }

  /** y = h(x), or y = g * h(x) when g is not null, with h the kernel's function. */
  private static void smooth(int kernel, int n, double[] x, int xOff, double[] g, int gOff,
      double[] y, int yOff) {
    Objects.checkFromIndexSize(xOff, n, x.length); // before anything is written
    Objects.checkFromIndexSize(yOff, n, y.length);
    if (g != null) {
      Objects.checkFromIndexSize(gOff, n, g.length);
    }
    try {
      KERNELS[kernel].invokeExact(n, x, xOff, g, gOff, y, yOff);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
  }

  /**
   * null when L divides n; else the scratch holding x[bound, n) at [0, L) and, unless g is null,
   * g[bound, n) at [L, 2L), zero padded (finite; results of the padding are never copied out).
   */
  private static double[] tail(int n, double[] x, int xOff, double[] g, int gOff) {
    int bound = S.loopBound(n);
    if (bound == n) {
      return null;
    }
    double[] t = TAIL.get();
    System.arraycopy(x, xOff + bound, t, 0, n - bound);
    Arrays.fill(t, n - bound, L, 0d);
    if (g != null) {
      System.arraycopy(g, gOff + bound, t, L, n - bound);
      Arrays.fill(t, L + n - bound, 2 * L, 0d);
    }
    return t;
  }

  /** Copies the partial last vector's results from the scratch into y. */
  private static void untail(double[] t, int n, double[] y, int yOff) {
    if (t != null) {
      int bound = S.loopBound(n);
      System.arraycopy(t, 2 * L, y, yOff + bound, n - bound);
    }
  }

  /** y = r, or y = g * r when g is not null. */
  private static void store(DoubleVector r, double[] g, int gOff, double[] y, int yOff) {
    if (g != null) {
      DoubleVector.fromArray(S, g, gOff).mul(r).intoArray(y, yOff);
    } else {
      r.intoArray(y, yOff);
    }
  }

  // The kernels. Each step: v = x[i, i + L) (or the scratch copy of the partial last vector),
  // e = exp(-|v|) (tanh: exp(-2|v|)), then the function of v and e, stored by store().

  private static void tanhKernel(int n, double[] x, int xOff, double[] g, int gOff, double[] y,
      int yOff) {
    double[] t = tail(n, x, xOff, g, gOff);
    int bound = S.loopBound(n);
    for (int i = 0; i < n; i += L) {
      boolean main = i < bound;
      DoubleVector v = DoubleVector.fromArray(S, main ? x : t, main ? xOff + i : 0);
      DoubleVector a = v.abs();
      DoubleVector r = VectorDoubleMath.tanhOfExp(v, a, VectorDoubleMath.exp(a.add(a).neg()));
      store(r, g == null ? null : main ? g : t, main ? gOff + i : L, main ? y : t,
          main ? yOff + i : 2 * L);
    }
    untail(t, n, y, yOff);
  }

  private static void tanhDerivativeKernel(int n, double[] x, int xOff, double[] g, int gOff,
      double[] y, int yOff) {
    double[] t = tail(n, x, xOff, g, gOff);
    int bound = S.loopBound(n);
    for (int i = 0; i < n; i += L) {
      boolean main = i < bound;
      DoubleVector a = DoubleVector.fromArray(S, main ? x : t, main ? xOff + i : 0).abs();
      DoubleVector r = VectorDoubleMath.tanhDerivativeOfExp(VectorDoubleMath.exp(a.add(a).neg()));
      store(r, g == null ? null : main ? g : t, main ? gOff + i : L, main ? y : t,
          main ? yOff + i : 2 * L);
    }
    untail(t, n, y, yOff);
  }

  private static void softplusKernel(int n, double[] x, int xOff, double[] g, int gOff,
      double[] y, int yOff) {
    double[] t = tail(n, x, xOff, g, gOff);
    int bound = S.loopBound(n);
    for (int i = 0; i < n; i += L) {
      boolean main = i < bound;
      DoubleVector v = DoubleVector.fromArray(S, main ? x : t, main ? xOff + i : 0);
      DoubleVector r = VectorDoubleMath.softplusOfExp(v, VectorDoubleMath.exp(v.abs().neg()));
      store(r, g == null ? null : main ? g : t, main ? gOff + i : L, main ? y : t,
          main ? yOff + i : 2 * L);
    }
    untail(t, n, y, yOff);
  }

  private static void sigmoidKernel(int n, double[] x, int xOff, double[] g, int gOff,
      double[] y, int yOff) {
    double[] t = tail(n, x, xOff, g, gOff);
    int bound = S.loopBound(n);
    for (int i = 0; i < n; i += L) {
      boolean main = i < bound;
      DoubleVector v = DoubleVector.fromArray(S, main ? x : t, main ? xOff + i : 0);
      DoubleVector r = VectorDoubleMath.sigmoidOfExp(v, VectorDoubleMath.exp(v.abs().neg()));
      store(r, g == null ? null : main ? g : t, main ? gOff + i : L, main ? y : t,
          main ? yOff + i : 2 * L);
    }
    untail(t, n, y, yOff);
  }

  private static void sigmoidDerivativeKernel(int n, double[] x, int xOff, double[] g, int gOff,
      double[] y, int yOff) {
    double[] t = tail(n, x, xOff, g, gOff);
    int bound = S.loopBound(n);
    for (int i = 0; i < n; i += L) {
      boolean main = i < bound;
      DoubleVector v = DoubleVector.fromArray(S, main ? x : t, main ? xOff + i : 0);
      DoubleVector r = VectorDoubleMath.sigmoidDerivativeOfExp(VectorDoubleMath.exp(v.abs().neg()));
      store(r, g == null ? null : main ? g : t, main ? gOff + i : L, main ? y : t,
          main ? yOff + i : 2 * L);
    }
    untail(t, n, y, yOff);
  }

  /** y = x (nothing to do in place). */
  private static void copy(int n, double[] x, int xOff, double[] y, int yOff) {
    if (x != y || xOff != yOff) {
      System.arraycopy(x, xOff, y, yOff, n);
    }
  }

  /** 1 where x &gt; 0, else 0 (NaN included). */
  private static DoubleVector reluDerivativeV(DoubleVector v) {
    return DoubleVector.zero(S).blend(1d, v.compare(VectorOperators.GT, 0d));
  }

  private static void relu(int n, double[] x, int xOff, double[] y, int yOff) {
    DoubleVector zero = DoubleVector.zero(S);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector v = DoubleVector.fromArray(S, x, xOff + i);
      VectorMask<Double> keep = v.compare(VectorOperators.GT, 0d).or(v.test(VectorOperators.IS_NAN));
      zero.blend(v, keep).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = (double) Activation.RELU.apply(x[xOff + i]);
    }
  }

  private static void reluDerivative(int n, double[] x, int xOff, double[] y, int yOff) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      reluDerivativeV(DoubleVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = (double) Activation.RELU.derivative(x[xOff + i]);
    }
  }

  private static void mulReluDerivative(int n, double[] x, int xOff, double[] g, int gOff,
      double[] y, int yOff) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector d = reluDerivativeV(DoubleVector.fromArray(S, x, xOff + i));
      DoubleVector.fromArray(S, g, gOff + i).mul(d).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = g[gOff + i] * (double) Activation.RELU.derivative(x[xOff + i]);
    }
  }
}
