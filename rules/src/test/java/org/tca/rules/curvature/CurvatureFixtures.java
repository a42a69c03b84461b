package org.tca.rules.curvature;

import java.util.ArrayList;
import java.util.List;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.PrecisionConversion;

/** Tiny networks and seeded batches for the curvature tests (N = 5, N_in = 3, N_out = 2). */
final class CurvatureFixtures {

  static final int N_IN = 3;
  static final int N = 5;
  static final int N_OUT = 2;
  static final int T = 6;
  static final int B = 3;

  /** Where the loss is taken. PARTIAL has unequal weights and no loss at the last step. */
  enum Mask {
    LAST, EVERY, PARTIAL;

    float[] weights(int steps) {
      float[] m = new float[steps];
      switch (this) {
        case LAST -> m[steps - 1] = 1f;
        case EVERY -> java.util.Arrays.fill(m, 1f);
        case PARTIAL -> {
          for (int t = 1; t < steps - 1; t += 2) {
            m[t] = t % 4 == 1 ? 1f : 2f;
          }
        }
      }
      return m;
    }
  }

  /** One test configuration. */
  record Case(ModelConfig config, Mask mask, boolean labelsPerStep, long seed) {
    @Override
    public String toString() {
      ModelConfig c = config;
      return c.cell().id() + "/" + c.activation().id() + "/" + c.loss().id() + "/" + mask
          + " a=" + c.leak() + (c.recurrentBias() ? "" : " no-b_rec")
          + (c.noAutapse() ? "" : " autapses") + (c.dale() ? " dale" : "")
          + (c.connectionProbability() < 1 ? " sparse" : "") + (labelsPerStep ? " per-step" : "");
    }
  }

  private CurvatureFixtures() {}

  /**
   * Every cell x activation (relu, tanh, softplus, sigmoid) x loss x mask x {plain, leaky}, with
   * b_rec off, autapses, Dale, sparse masks and per-step labels cycled over the cases. L2 on.
   */
  static List<Case> allCases() {
    List<Case> cases = new ArrayList<>();
    int i = 0;
    Activation[] acts = {Activation.RELU, Activation.TANH, Activation.SOFTPLUS, Activation.SIGMOID};
    for (Cell cell : Cell.values()) {
      for (Activation f : acts) {
        for (LossKind loss : LossKind.values()) {
          for (Mask mask : Mask.values()) {
            for (boolean leaky : new boolean[] {false, true}) {
              double a = cell == Cell.VOLTAGE_LEAK ? (leaky ? 0.6 : 0.0) : (leaky ? 0.3 : 1.0);
              ModelConfig c = ModelConfig.builder(N_IN, N, N_OUT).cell(cell).activation(f)
                  .loss(loss).leak(a).l2(0.05)
                  .recurrentBias(i % 2 == 0)
                  .noAutapse(i % 5 != 3)
                  .dale(i % 3 == 1)
                  .connectionProbability(i % 4 == 2 ? 0.6 : 1.0)
                  .build();
              boolean perStep = loss == LossKind.CROSS_ENTROPY && i % 7 == 4;
              cases.add(new Case(c, mask, perStep, 1000 + i));
              i++;
            }
          }
        }
      }
    }
    return cases;
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

  /** A seeded f32 batch: x ~ N(0, 1), uniform labels or N(0, 1) targets, the case's mask. */
  static FloatBatch floatBatch(ModelConfig c, Mask mask, boolean labelsPerStep, int steps,
      int size, long seed) {
    RandomStream r = new RandomStream(seed);
    FloatBatch b = c.loss() == LossKind.CROSS_ENTROPY
        ? FloatBatch.classification(steps, size, c.inputs(), c.outputs(), labelsPerStep)
        : FloatBatch.regression(steps, size, c.inputs(), c.outputs());
    for (int i = 0; i < b.x().length; i++) {
      b.x()[i] = (float) r.nextGaussian();
    }
    if (b.classification()) {
      for (int i = 0; i < b.labels().length; i++) {
        b.labels()[i] = r.nextInt(c.outputs());
      }
    } else {
      for (int i = 0; i < b.targets().length; i++) {
        b.targets()[i] = (float) r.nextGaussian();
      }
    }
    b.lossMask(mask.weights(steps));
    return b;
  }

  static FloatBatch floatBatch(Case k) {
    return floatBatch(k.config(), k.mask(), k.labelsPerStep(), T, B, k.seed());
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
