package org.tca.rules.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.storage.DoubleMatrix;
import org.tca.numerics.storage.FloatMatrix;
import org.tca.rules.learning.DoubleBptt;
import org.tca.rules.learning.DoubleLearningRule;
import org.tca.rules.learning.DoubleLocalRule;
import org.tca.rules.learning.DoubleRules;
import org.tca.rules.learning.DoubleWorkspace;
import org.tca.rules.learning.FloatBptt;
import org.tca.rules.learning.FloatLocalRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.learning.Fixtures;
import org.tca.rules.learning.Fixtures.Mask;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleNetwork;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.DoubleTrajectory;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.PrecisionConversion;

/**
 * The f64 seen-curvature against oracles that do not share its method:
 *
 * <ul>
 *   <li>BPTT's update field is the gradient, so c = 1 along any v (G = H, for ReLU the a.e.
 *       Hessian, f'' = 0), at a trained point on a classification batch, through the checkpoint
 *       probe; and with a ReLU kink placed inside the default step, which alone moves c far from
 *       1 and which the step reduction must avoid;</li>
 *   <li>for e-prop and RFLO, v'Gv from the dense Jacobian of the f64 update field, column by
 *       column (coordinate central differences at other steps).</li>
 * </ul>
 *
 * Tolerances ({@link #tolerance}): the truncation error of D(h) = (g(+h) - g(-h)) / 2h is
 * a h^2 + O(h^4) and D(h) - D(h/2) = 3/4 a h^2, so 2 |D(h) - D(h/2)| covers it (both steps
 * kink-free: checked); each update entry carries a rounding error of at most K u max(1, |g|_inf)
 * (K from {@link CurvatureFixtures#roundingUnits}), which v'D(h) turns into at most
 * K u max(1, |g|_inf) ||v||_1 / h &lt;= K u max(1, |g|_inf) sqrt(d) / h for a unit v; the
 * displaced points theta +- h v are rounded, moving each coordinate by at most u |theta_i|, an
 * error of at most u max|theta| sqrt(d) ||G|| / h in v'D; v'Hv itself is exact to K u |v'Hv|.
 */
class SeenCurvatureOracleTest {

  static final double U = Math.ulp(1.0) / 2;
  static final int T = 6;
  static final int B = 3;

  static ModelConfig config(Cell cell, Activation f, int n) {
    return ModelConfig.builder(3, n, 2).cell(cell).activation(f).leak(0.5)
        .loss(LossKind.CROSS_ENTROPY).l2(1e-3).build();
  }

  /**
   * A seeded classification batch, loss at every step, inputs N(0, 1), scaled by 3 for ReLU
   * (larger states, so larger curvature; tanh would saturate).
   */
  static FloatBatch batch(ModelConfig c, int steps, int size, long seed) {
    FloatBatch b = Fixtures.floatBatch(c, Mask.EVERY, false, steps, size, seed);
    float scale = c.activation() == Activation.RELU ? 3f : 1f;
    for (int i = 0; i < b.x().length; i++) {
      b.x()[i] *= scale;
    }
    return b;
  }

  /** Initial weights after {@code iterations} f32 SGD steps (rate 0.1) of BPTT on the batch. */
  static FloatParameters trained(ModelConfig c, FloatBatch batch, int iterations) {
    FloatParameters p = FloatParameters.initialize(c, 7);
    FloatBptt bptt = new FloatBptt(c);
    FloatWorkspace ws = bptt.newWorkspace(batch.size(), batch.steps());
    float[] g = p.newGradient();
    for (int i = 0; i < iterations; i++) {
      bptt.gradient(p, batch, ws, g);
      for (int j = 0; j < g.length; j++) {
        p.data()[j] -= 0.1f * g[j];
      }
    }
    return p;
  }

  /** max(1, |g|_inf) of the rule's update at p. */
  static double updateScale(DoubleLearningRule rule, DoubleParameters p, DoubleBatch batch) {
    double[] g = p.newGradient();
    rule.gradient(p, batch, rule.newWorkspace(batch.size(), batch.steps()), g);
    double m = 1;
    for (double x : g) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  /**
   * The bound on |v'Gv_measured - v'Gv| / |v'Hv| at step h for a unit v, from the measurement at
   * h and at h/2 (class comment); {@code norm} bounds ||G||.
   */
  static double tolerance(SeenCurvature atH, SeenCurvature atHalf, DoubleParameters p,
      DoubleBatch batch, DoubleLearningRule rule, BlockSelection sel, double norm) {
    assertEquals(0, atH.kinks(), "kinks within the step");
    assertEquals(0, atHalf.kinks(), "kinks within half the step");
    double d = sel.dimension();
    double theta = 1;
    for (int i = 0; i < sel.dimension(); i++) {
      theta = Math.max(theta, Math.abs(p.data()[sel.flatIndex(i)]));
    }
    double k = CurvatureFixtures.roundingUnits(p.config(), batch.steps(), batch.size(), U);
    double vhv = Math.abs(atH.curvature());
    double rounding = k * updateScale(rule, p, batch) * Math.sqrt(d) / atH.step();
    double displacement = U * theta * Math.sqrt(d) * norm / atH.step();
    return 2 * Math.abs(atH.seen() - atHalf.seen()) + (rounding + displacement) / vhv
        + k * Math.abs(atH.seen());
  }

  @ParameterizedTest
  @EnumSource(value = Activation.class, names = {"RELU", "TANH"})
  void bpttSeesAllTheCurvatureAtATrainedPoint(Activation f) {
    ModelConfig c = config(Cell.VOLTAGE_LEAK, f, 6);
    FloatBatch batch = batch(c, T, B, 11);
    FloatParameters p = trained(c, batch, 20);
    CurvatureProbe probe = new CurvatureProbe(c, batch, CurvatureProbe.Settings.defaults(),
        DoubleRules.create("bptt", c, RuleOptions.defaults()));
    Map<String, Double> m = probe.measure(20, 0.1, p);
    SeenCurvature s = probe.lastSeenCurvature();
    assertEquals(s.seen(), m.get("seen_curvature"));

    DoubleParameters pd = PrecisionConversion.widen(p);
    DoubleBatch bd = PrecisionConversion.widen(batch);
    BlockSelection sel = BlockSelection.recurrent(pd.layout(), pd.structure());
    DoubleHessianVectorProduct hd = new DoubleHessianVectorProduct(c, sel, B, T);
    hd.prepare(pd, bd);
    DoubleBptt bptt = new DoubleBptt(c);
    DoubleSeenCurvature again = new DoubleSeenCurvature(bptt, sel, B, T);
    double[] v = probe.lastTopVector();
    SeenCurvature half = again.measure(pd, bd, v, hd, s.step() / 2);
    double tol = tolerance(s, half, pd, bd, bptt, sel, normBound(hd));
    assertEquals(1.0, m.get("seen_curvature"), tol, s + " tolerance " + tol);
    assertTrue(tol < 1e-6, "a sharp check: " + tol);
  }

  /**
   * A ReLU pre-activation put (by moving one input of one sample) at 0.3 h |dpre/ds| from its
   * kink along v, with h the default step: the difference at h crosses it and misses c = 1 by far
   * more than the tolerance; the measurement with kink avoidance steps down to h/4 and gets 1.
   */
  @Test
  void reluKinkInsideTheStepIsStepped() {
    ModelConfig c = config(Cell.VOLTAGE_LEAK, Activation.RELU, 6);
    FloatBatch batch = batch(c, T, B, 11);
    DoubleParameters pd = PrecisionConversion.widen(trained(c, batch, 20));
    DoubleBatch bd = PrecisionConversion.widen(batch);
    BlockSelection sel = BlockSelection.recurrent(pd.layout(), pd.structure());
    DoubleHessianVectorProduct hd = new DoubleHessianVectorProduct(c, sel, B, T);
    hd.prepare(pd, bd);
    double[] v =
        new HessianEigensolver(sel.dimension()).top(hd, 1, 1e-10, null, 1).top().vector(0);
    DoubleBptt bptt = new DoubleBptt(c);
    DoubleSeenCurvature probe = new DoubleSeenCurvature(bptt, sel, B, T);
    double h = probe.defaultStep(pd);
    int t = T / 2;
    int n = c.hidden();
    // dpre_t/ds along v for the units of sample 0 (independent of the input at step t)
    double[] plus = preActivations(c, shifted(pd, sel, v, 1e-6), bd, t);
    double[] minus = preActivations(c, shifted(pd, sel, v, -1e-6), bd, t);
    int unit = 0;
    for (int i = 1; i < n; i++) {
      if (Math.abs(plus[i] - minus[i]) > Math.abs(plus[unit] - minus[unit])) {
        unit = i;
      }
    }
    double slope = (plus[unit] - minus[unit]) / 2e-6;
    assertTrue(Math.abs(slope) > 1e-2, "the unit moves along v: " + slope);
    int x = bd.xOffset(t, 0);
    double pre0 = preActivations(c, pd, bd, t)[unit];
    bd.x()[x] += 1;
    double perInput = preActivations(c, pd, bd, t)[unit] - pre0;
    bd.x()[x] += (0.3 * h * slope - pre0) / perInput - 1;
    assertEquals(0.3 * h * slope, preActivations(c, pd, bd, t)[unit], 1e-3 * h * Math.abs(slope));

    hd.prepare(pd, bd);
    SeenCurvature crossing = probe.measure(pd, bd, v, hd, h);
    SeenCurvature avoided = probe.measure(pd, bd, v, hd);
    SeenCurvature half = probe.measure(pd, bd, v, hd, avoided.step() / 2);
    double tol = tolerance(avoided, half, pd, bd, bptt, sel, normBound(hd));
    assertEquals(1, crossing.kinks(), "the placed kink: " + crossing);
    assertTrue(Math.abs(crossing.seen() - 1) > 1e3 * tol, "a kink in the step: " + crossing);
    assertEquals(h / FloatSeenCurvature.STEP_REDUCTION, avoided.step(), 0.0);
    assertEquals(1.0, avoided.seen(), tol, avoided + " tolerance " + tol);
    // the rounding term grows as 1/step: 4x that of the default step
    assertTrue(tol < FloatSeenCurvature.STEP_REDUCTION * 1e-6, "a sharp check: " + tol);
  }

  /**
   * e-prop (voltage-leak, tanh and ReLU) and RFLO (rate-leak, ReLU): v'Gv of the probe against
   * sum_j v_j v'D_j, D_j the central differences of the f64 update field along the coordinate
   * e_j at H = 1e-5 (and 2H for its truncation estimate), v the top Hessian eigenvector.
   */
  @ParameterizedTest
  @ValueSource(strings = {"eprop/voltage-leak/tanh", "eprop/voltage-leak/relu",
      "rflo/rate-leak/relu"})
  void bioRuleMatchesTheDenseJacobianOfItsUpdate(String which) {
    String[] parts = which.split("/");
    Cell cell = parts[1].equals("rate-leak") ? Cell.RATE_LEAK : Cell.VOLTAGE_LEAK;
    ModelConfig c = config(cell, Activation.parse(parts[2]), 5);
    int steps = 6;
    int size = 4;
    FloatBatch batch = batch(c, steps, size, 13);
    DoubleParameters pd = PrecisionConversion.widen(trained(c, batch, 30));
    DoubleBatch bd = PrecisionConversion.widen(batch);
    BlockSelection sel = BlockSelection.recurrent(pd.layout(), pd.structure());
    DoubleHessianVectorProduct hd = new DoubleHessianVectorProduct(c, sel, size, steps);
    hd.prepare(pd, bd);
    double[] v =
        new HessianEigensolver(sel.dimension()).top(hd, 1, 1e-12, null, 1).top().vector(0);
    DoubleLearningRule rule = DoubleRules.create(parts[0], c, RuleOptions.defaults());
    DoubleSeenCurvature probe = new DoubleSeenCurvature(rule, sel, size, steps);
    SeenCurvature s = probe.measure(pd, bd, v, hd);
    SeenCurvature half = probe.measure(pd, bd, v, hd, s.step() / 2);

    double[] oracle = denseJacobianForm(rule, probe, pd, bd, sel, v);
    double probeTol = tolerance(s, half, pd, bd, rule, sel, oracle[2]) * Math.abs(s.curvature());
    double tol = probeTol + oracle[1];
    assertEquals(oracle[0], s.directional(), tol, which + ": " + s + " tolerance " + tol);
    assertTrue(tol < 1e-6 * Math.abs(s.curvature()), "a sharp check (in c): " + tol + " vs "
        + s.curvature());
    assertTrue(Math.abs(s.seen() - 1) > 10 * tol / Math.abs(s.curvature()),
        "the rule is not the gradient here: c = " + s.seen());
  }

  /**
   * The f64 rule the probe builds with the f32 rule's options draws the same random feedback B
   * (the same f64 draw from the seed, which the f32 rule rounds once), so it is the f32 rule's
   * twin up to that rounding.
   */
  @ParameterizedTest
  @ValueSource(strings = {"eprop-random", "rflo"})
  void theTwinDrawsTheFeedbackTheSinglePrecisionRuleRounds(String id) {
    ModelConfig c = config(Cell.RATE_LEAK, Activation.TANH, 6);
    RuleOptions o = RuleOptions.defaults().withFeedbackSeed(42);
    FloatMatrix b32 = ((FloatLocalRule) FloatRules.create(id, c, o)).feedbackMatrix();
    DoubleMatrix b64 = ((DoubleLocalRule) DoubleRules.create(id, c, o)).feedbackMatrix();
    DoubleMatrix other = ((DoubleLocalRule) DoubleRules.create(id, c, RuleOptions.defaults()))
        .feedbackMatrix();
    boolean differs = false;
    for (int i = 0; i < c.hidden(); i++) {
      for (int k = 0; k < c.outputs(); k++) {
        assertEquals((float) b64.get(i, k), b32.get(i, k), 0f, id + " B[" + i + "][" + k + "]");
        differs |= other.get(i, k) != b64.get(i, k);
      }
    }
    assertTrue(differs, "the seed is used");
  }

  /**
   * {v'Gv, its error bound, a bound on ||G||_2} from the dense Jacobian by coordinate central
   * differences (step H and 2H; the realised displacement divides), every column kink-free at
   * 2H. ||G||_2 &lt;= ||D||_F plus its error (each entry's bound).
   */
  static double[] denseJacobianForm(DoubleLearningRule rule, DoubleSeenCurvature kinks,
      DoubleParameters p0, DoubleBatch batch, BlockSelection sel, double[] v) {
    double hStep = 1e-5;
    int d = sel.dimension();
    DoubleParameters p = p0.copy();
    DoubleWorkspace ws = rule.newWorkspace(batch.size(), batch.steps());
    double[] gp = p.newGradient();
    double[] gm = p.newGradient();
    double k = CurvatureFixtures.roundingUnits(p.config(), batch.steps(), batch.size(), U);
    double rounding = k * updateScale(rule, p0, batch) / hStep;
    double form = 0;
    double error = 0;
    double frobenius = 0;
    for (int j = 0; j < d; j++) {
      double[] e = new double[d];
      e[j] = 1;
      assertEquals(0, kinks.kinks(p0, batch, e, 2 * hStep), "a kink in column " + j);
      double[][] col = new double[2][d];
      for (int r = 0; r < 2; r++) {
        double h = (r + 1) * hStep;
        int f = sel.flatIndex(j);
        p.copyFrom(p0);
        p.data()[f] = p0.data()[f] + h;
        double up = p.data()[f] - p0.data()[f];
        rule.gradient(p, batch, ws, gp);
        p.data()[f] = p0.data()[f] - h;
        double down = p0.data()[f] - p.data()[f];
        rule.gradient(p, batch, ws, gm);
        for (int i = 0; i < d; i++) {
          int fi = sel.flatIndex(i);
          col[r][i] = (gp[fi] - gm[fi]) / (up + down);
        }
      }
      for (int i = 0; i < d; i++) {
        form += v[i] * v[j] * col[0][i];
        double entryError = 2 * Math.abs(col[1][i] - col[0][i]) + rounding;
        error += Math.abs(v[i] * v[j]) * entryError;
        frobenius += Math.pow(Math.abs(col[0][i]) + entryError, 2);
      }
    }
    return new double[] {form, error, Math.sqrt(frobenius)};
  }

  /** ||H||_2 &lt;= ||H||_F from the dense matrix of products. */
  static double normBound(DoubleHessianVectorProduct h) {
    double[] dense = DenseHessianTest.denseFromProducts(h);
    double s = 0;
    for (double x : dense) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  static DoubleParameters shifted(DoubleParameters p, BlockSelection sel, double[] v, double s) {
    DoubleParameters q = p.copy();
    for (int i = 0; i < v.length; i++) {
      q.data()[sel.flatIndex(i)] += s * v[i];
    }
    return q;
  }

  /** The pre-activations of sample 0 at step t (0-based). */
  static double[] preActivations(ModelConfig c, DoubleParameters p, DoubleBatch batch, int t) {
    DoubleTrajectory tr = new DoubleTrajectory(c, batch.size(), batch.steps());
    new DoubleNetwork(c).forward(p, batch, tr);
    double[] out = new double[c.hidden()];
    System.arraycopy(tr.pre(), tr.slot(t + 1), out, 0, out.length);
    return out;
  }
}
