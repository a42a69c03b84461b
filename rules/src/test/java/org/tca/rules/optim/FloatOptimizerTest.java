package org.tca.rules.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.tca.numerics.random.RandomStream;

/**
 * Each optimizer against a straightforward f64 reimplementation over several steps. The
 * tolerance is a running forward-error bound: every rounded operation of the implementation
 * contributes at most u * |result| (u = unit roundoff of the vector's precision), constants
 * rounded to the vector's precision contribute u relative each, and errors already present
 * propagate through the update's (linear) dependence on the previous state. An f64 twin of
 * this test checks the f64 optimizers the same way.
 */
class FloatOptimizerTest {

  private static final double U = Math.ulp(1.0f) / 2;
  private static final int SIZE = 12;
  /** [0, 4) and [6, 11) trainable; 4, 5 and 11 frozen. */
  private static final TrainableRanges RANGES = TrainableRanges.of(6, 5, 0, 4);
  private static final int STEPS = 7;
  private static final double SCALE = 0.75;

  private static double gamma(int n) {
    return n * U / (1 - n * U);
  }

  /** Initial parameters in [-1, 1) and STEPS gradients with |g| in [0.1, 2) and random signs. */
  private static float[][] problem(long seed) {
    RandomStream rng = new RandomStream(seed);
    float[][] out = new float[STEPS + 1][SIZE];
    rng.fillUniform(out[0], 0, SIZE, -1f, 1f);
    for (int k = 1; k <= STEPS; k++) {
      rng.fillUniform(out[k], 0, SIZE, 0.1f, 2f);
      for (int i = 0; i < SIZE; i++) {
        out[k][i] *= rng.nextRademacher();
      }
    }
    return out;
  }

  private static void assertWithin(double[] ref, double[] bound, float[] actual, String what) {
    for (int i = 0; i < SIZE; i++) {
      if (RANGES.contains(i)) {
        double err = Math.abs(actual[i] - ref[i]);
        assertTrue(err <= bound[i], what + " element " + i + ": |" + actual[i] + " - " + ref[i]
            + "| = " + err + " > bound " + bound[i]);
      }
    }
  }

  @Test
  void sgdHandComputed() {
    float[] p = {1f, -2f, 3f};
    float[] g = {0.5f, 1f, 7f};
    FloatSgd sgd = new FloatSgd(3, TrainableRanges.of(0, 2));
    sgd.step(p, g, 1.0, 0.25);
    assertArrayEquals(new float[] {0.875f, -2.25f, 3f}, p);
    sgd.step(p, g, 0.5, 0.25);
    assertArrayEquals(new float[] {0.8125f, -2.375f, 3f}, p);
    assertEquals(2, sgd.steps());
  }

  @Test
  void sgdMatchesReference() {
    float[][] data = problem(11);
    float[] p = data[0].clone();
    double[] ref = toDouble(data[0]);
    double[] err = new double[SIZE];
    double lr = 0.1;
    FloatSgd sgd = new FloatSgd(SIZE, RANGES);
    for (int k = 1; k <= STEPS; k++) {
      sgd.step(p, data[k], SCALE, lr);
      for (int i = 0; i < SIZE; i++) {
        double d = lr * SCALE * data[k][i];
        ref[i] -= d;
        // a = fl(lr * s) (2 roundings), fl(a * g), fl(p - .)
        err[i] = err[i] * (1 + U) + gamma(3) * Math.abs(d) + U * (Math.abs(ref[i]) + err[i]);
      }
      assertWithin(ref, err, p, "sgd step " + k);
    }
  }

  @Test
  void momentumMatchesReference() {
    for (boolean nesterov : new boolean[] {false, true}) {
      float[][] data = problem(12);
      float[] p = data[0].clone();
      double[] ref = toDouble(data[0]);
      double[] b = new double[SIZE];
      double[] errP = new double[SIZE];
      double[] errB = new double[SIZE];
      double mu = 0.9;
      double lr = 0.05;
      FloatMomentum opt = new FloatMomentum(SIZE, RANGES, mu, nesterov);
      for (int k = 1; k <= STEPS; k++) {
        opt.step(p, data[k], SCALE, lr);
        for (int i = 0; i < SIZE; i++) {
          double h = SCALE * data[k][i];
          double bNew = mu * b[i] + h;
          // fl(mu) * b (2), s * g (2), add (1)
          errB[i] = mu * errB[i] + gamma(4) * (mu * (Math.abs(b[i]) + errB[i]) + Math.abs(h));
          b[i] = bNew;
          double d = nesterov ? h + mu * bNew : bNew;
          double errD = nesterov
              ? mu * errB[i] + gamma(4) * (Math.abs(h) + mu * (Math.abs(bNew) + errB[i]))
              : errB[i];
          ref[i] -= lr * d;
          // fl(lr) * d (2), subtract (1)
          errP[i] = errP[i] + lr * errD + gamma(3) * lr * (Math.abs(d) + errD)
              + U * (Math.abs(ref[i]) + errP[i]);
        }
        assertWithin(ref, errP, p, (nesterov ? "nesterov" : "momentum") + " step " + k);
      }
    }
  }

  @Test
  void adamMatchesReference() {
    float[][] data = problem(13);
    float[] p = data[0].clone();
    double[] ref = toDouble(data[0]);
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double lr = 0.01;
    double[] m = new double[SIZE];
    double[] v = new double[SIZE];
    double[] em = new double[SIZE];
    double[] ev = new double[SIZE];
    double[] ep = new double[SIZE];
    FloatAdam adam = new FloatAdam(SIZE, RANGES, b1, b2, eps);
    for (int k = 1; k <= STEPS; k++) {
      adam.step(p, data[k], SCALE, lr);
      double bc1 = 1 - Powers.integerPower(b1, k);
      double bc2 = 1 - Powers.integerPower(b2, k);
      double stepSize = lr / bc1;
      double ib = 1 / Math.sqrt(bc2);
      for (int i = 0; i < SIZE; i++) {
        double h = SCALE * data[k][i];
        double eh = gamma(2) * Math.abs(h);
        m[i] = b1 * m[i] + (1 - b1) * h;
        v[i] = b2 * v[i] + (1 - b2) * h * h;
        // each product of a rounded constant (2) and a state, then the sum (1)
        em[i] = b1 * em[i] + (1 - b1) * eh
            + gamma(4) * (b1 * Math.abs(m[i]) + (1 - b1) * (Math.abs(h) + eh) + em[i]);
        ev[i] = b2 * ev[i] + (1 - b2) * (2 * Math.abs(h) + eh) * eh
            + gamma(5) * (b2 * v[i] + (1 - b2) * (h + eh) * (h + eh) + ev[i]);
        double sq = Math.sqrt(v[i]);
        double esq = ev[i] / sq + gamma(2) * (sq + ev[i] / sq);
        double den = sq * ib + eps;
        double eden = ib * esq + gamma(5) * (den + ib * esq);
        double q = m[i] / den;
        double eq = (em[i] + Math.abs(q) * eden) / (den - eden) + U * (Math.abs(q) + em[i] / den);
        double d = stepSize * q;
        double ed = stepSize * eq + gamma(4) * stepSize * (Math.abs(q) + eq);
        ref[i] -= d;
        ep[i] = ep[i] + ed + U * (Math.abs(ref[i]) + ep[i] + ed);
      }
      assertWithin(ref, ep, p, "adam step " + k);
    }
  }

  @Test
  void adamFirstStepMovesEachParameterByTheLearningRate() {
    // k = 1: mhat = h, vhat = h^2, so the step is lr * h / (|h| + eps) ~ lr * sign(g).
    float[] p = new float[4];
    float[] g = {3f, -0.25f, 1e-3f, -40f};
    new FloatAdam(4, TrainableRanges.all(4), 0.9, 0.999, 1e-20).step(p, g, 1.0, 0.5);
    for (int i = 0; i < 4; i++) {
      assertEquals(-0.5 * Math.signum(g[i]), p[i], 0.5 * gamma(20), "element " + i);
    }
  }

  @Test
  void frozenElementsAndGradientAreNeverTouched() {
    for (Supplier<FloatOptimizer> make : optimizers()) {
      FloatOptimizer opt = make.get();
      float[][] data = problem(14);
      float[] p = data[0].clone();
      float[] g = data[1].clone();
      for (int i = 0; i < SIZE; i++) {
        if (!RANGES.contains(i)) {
          g[i] = Float.NaN;
        }
      }
      float[] gCopy = g.clone();
      for (int k = 0; k < 3; k++) {
        opt.step(p, g, 1.0, 0.1);
      }
      assertArrayEquals(gCopy, g, opt + " modified the gradient");
      for (int i = 0; i < SIZE; i++) {
        if (RANGES.contains(i)) {
          assertTrue(p[i] != data[0][i] && Float.isFinite(p[i]), opt + " element " + i);
        } else {
          assertEquals(data[0][i], p[i], opt + " changed frozen element " + i);
        }
      }
      assertEquals(3, opt.steps());
    }
  }

  @Test
  void resetRestoresFreshState() {
    for (Supplier<FloatOptimizer> make : optimizers()) {
      float[][] data = problem(15);
      FloatOptimizer used = make.get();
      float[] scratch = data[0].clone();
      used.step(scratch, data[1], 1.0, 0.1);
      used.step(scratch, data[2], 1.0, 0.1);
      used.reset();
      assertEquals(0, used.steps());
      float[] a = data[0].clone();
      float[] b = data[0].clone();
      FloatOptimizer fresh = make.get();
      for (int k = 1; k <= 3; k++) {
        used.step(a, data[k], SCALE, 0.1);
        fresh.step(b, data[k], SCALE, 0.1);
      }
      assertArrayEquals(b, a, used.toString());
    }
  }

  @Test
  @SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
  void adamConvergesOnAQuadratic() {
    // f(p) = 1/2 sum_i a_i (p_i - c_i)^2 with curvatures a_i spread over two decades.
    int n = 8;
    float[] a = new float[n];
    float[] c = new float[n];
    float[] p = new float[n];
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) Math.pow(10, -1 + 2.0 * i / (n - 1));
      c[i] = (float) (i % 2 == 0 ? 1.5 : -0.5 - 0.1 * i);
    }
    FloatUpdater upd = new FloatUpdater(new FloatAdam(n, TrainableRanges.all(n)),
        LearningRateSchedule.stepDecay(0.05, 0.5, 500));
    for (int t = 0; t < 4000; t++) {
      for (int i = 0; i < n; i++) {
        g[i] = a[i] * (p[i] - c[i]);
      }
      upd.step(p, g);
    }
    for (int i = 0; i < n; i++) {
      assertEquals(c[i], p[i], 1e-3, "coordinate " + i);
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new FloatSgd(5, RANGES));
    assertThrows(IllegalArgumentException.class,
        () -> new FloatMomentum(SIZE, RANGES, 1.0, false));
    assertThrows(IllegalArgumentException.class,
        () -> new FloatAdam(SIZE, RANGES, 0.9, 1.0, 1e-8));
    assertThrows(IllegalArgumentException.class,
        () -> new FloatAdam(SIZE, RANGES, 0.9, 0.999, 0));
    FloatSgd sgd = new FloatSgd(SIZE, RANGES);
    assertThrows(IllegalArgumentException.class,
        () -> sgd.step(new float[SIZE], new float[SIZE - 1], 1, 0.1));
    assertThrows(IllegalArgumentException.class,
        () -> sgd.step(new float[SIZE], new float[SIZE], 1, -0.1));
    assertThrows(IllegalArgumentException.class,
        () -> sgd.step(new float[SIZE], new float[SIZE], Double.NaN, 0.1));
  }

  /**
   * beginStep, applySlice over uneven slices that cut through the ranges (the gradient at a
   * shifted offset, NaN outside the ranges: never read) and endStep is step, bit for bit.
   */
  @Test
  void slicesAreTheStepBitForBit() {
    int[] cuts = {0, 1, 3, 5, 6, 9, 12};
    for (Supplier<FloatOptimizer> make : optimizers()) {
      FloatOptimizer whole = make.get();
      FloatOptimizer sliced = make.get();
      float[][] pr = problem(41);
      float[] a = pr[0].clone();
      float[] b = pr[0].clone();
      for (int k = 1; k <= STEPS; k++) {
        float[] shifted = new float[SIZE + 3];
        java.util.Arrays.fill(shifted, Float.NaN);
        for (int i = 0; i < SIZE; i++) {
          if (RANGES.contains(i)) {
            shifted[i + 3] = pr[k][i];
          }
        }
        whole.step(a, pr[k], SCALE, 0.05 * k);
        sliced.beginStep(SCALE, 0.05 * k);
        for (int c = 0; c + 1 < cuts.length; c++) {
          sliced.applySlice(b, cuts[c], cuts[c + 1] - cuts[c], shifted, cuts[c] + 3);
        }
        sliced.endStep();
        assertArrayEquals(a, b, whole + " step " + k);
        assertEquals(whole.state(), sliced.state(), whole + " step " + k);
      }
    }
  }

  @Test
  void factoryBuildsEachKind() {
    for (String kind : OptimizerSettings.KINDS) {
      FloatOptimizer o = FloatOptimizers.create(OptimizerSettings.of(kind), SIZE, RANGES);
      assertEquals(SIZE, o.size());
      assertEquals(kind.equals("nesterov"),
          o instanceof FloatMomentum fm && fm.nesterov(), kind);
    }
    assertThrows(IllegalArgumentException.class, () -> OptimizerSettings.of("rmsprop"));
  }

  private static java.util.List<Supplier<FloatOptimizer>> optimizers() {
    return java.util.List.of(
        () -> new FloatSgd(SIZE, RANGES),
        () -> new FloatMomentum(SIZE, RANGES, 0.9, false),
        () -> new FloatMomentum(SIZE, RANGES, 0.5, true),
        () -> new FloatAdam(SIZE, RANGES));
  }

  private static double[] toDouble(float[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i];
    }
    return y;
  }
}
