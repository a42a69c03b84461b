package org.tca.rules.curvature;

import java.util.ArrayList;
import java.util.List;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.learning.Fixtures;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.PrecisionConversion;

/** Tiny networks and seeded batches for the curvature tests (N = 5, N_in = 3, N_out = 2). */
final class CurvatureFixtures {

  static final int N_IN = Fixtures.N_IN;
  static final int N = Fixtures.N;
  static final int N_OUT = Fixtures.N_OUT;
  static final int T = Fixtures.T;
  static final int B = Fixtures.B;

  private CurvatureFixtures() {}

  /** The rule tests' grid ({@link Fixtures#cases}) over relu, tanh, softplus and sigmoid. */
  static List<Case> allCases() {
    return Fixtures.cases(Activation.RELU, Activation.TANH, Activation.SOFTPLUS,
        Activation.SIGMOID);
  }

  /** A few cases covering both cells, every activation and both losses (for the dense tests). */
  static List<Case> denseCases() {
    List<Case> all = allCases();
    List<Case> some = new ArrayList<>();
    for (int i = 0; i < all.size(); i += 5) {
      some.add(all.get(i));
    }
    return some;
  }

  static FloatBatch floatBatch(Case k) {
    return Fixtures.floatBatch(k.config(), k.mask(), k.labelsPerStep(), T, B, k.seed());
  }

  /** The f64 batch of a case (the f32 batch widened, so both precisions see the same data). */
  static DoubleBatch doubleBatch(Case k) {
    return PrecisionConversion.widen(floatBatch(k));
  }

  /** A seeded unit vector with standard normal direction. */
  static double[] unitVector(int n, long seed) {
    RandomStream r = new RandomStream(seed);
    double[] v = new double[n];
    double s = 0;
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian();
      s += v[i] * v[i];
    }
    s = Math.sqrt(s);
    for (int i = 0; i < n; i++) {
      v[i] /= s;
    }
    return v;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  /**
   * Rounding scale K u of one f64 gradient or Hessian product on these networks: each entry is
   * a sum over T B rows of recursions through dot products of length at most
   * N + N_in + N_out + 2, so K = 4 T B (N + N_in + N_out + 2) bounds the number of rounded
   * operations feeding it (generously: gamma_K with K counted once per term).
   */
  static double roundingUnits(ModelConfig c, int steps, int batch, double u) {
    return 4.0 * steps * batch * (c.hidden() + c.inputs() + c.outputs() + 2) * u;
  }
}
