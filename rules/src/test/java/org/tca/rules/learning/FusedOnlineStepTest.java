package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.Block;
import org.tca.rules.model.Cell;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.FloatOptimizer;
import org.tca.rules.optim.FloatOptimizers;
import org.tca.rules.optim.OptimizerSettings;
import org.tca.rules.optim.TrainableRanges;

/**
 * The fused online step ({@link FloatLearningRule#stepOnline} with an optimizer: e-prop and
 * RFLO hand W_in | W_rec to the optimizer a chunk of rows at a time, {@link FloatOnlineRows})
 * against its oracle, the unfused step followed by {@code optimizer.step(theta, g_t, 1, eta)}:
 * the parameters, the optimizer's state and the returned loss must agree bit for bit at every
 * step, since every element is rounded by the same operations in the same order. Sizes cut the
 * rows into several chunks with a ragged last one and leave vector tails (N = 37, N_in = 11);
 * both traces (factored: voltage leak, rate leak a = 1; full: rate leak a = 0.3), with and
 * without b_rec and L2, loss at every step or only at the last (the steps in between are not
 * fused), a frozen block and a sparse W_rec (zeros to the optimizer; factored, SGD updates the
 * rows in one pass, with or without L2, and then steps the disallowed entries on a zero
 * gradient), and MDGL and
 * ModProp, which must fall back to the two calls, for SGD, momentum, Nesterov and Adam. In the
 * second sequence the fused leg asks for the prediction first
 * ({@link FloatLearningRule#predictOnline}, checked against a forward pass of its own), whose
 * state the step then takes as it is.
 */
class FusedOnlineStepTest {

  private static final int T = 9;

  record Case(String rule, Cell cell, double leak, boolean bias, double l2, int n, int nIn,
      boolean everyStep, String variant) {
    @Override
    public String toString() {
      return rule + " " + cell.id() + " a=" + leak + (bias ? " b_rec" : "") + " l2=" + l2
          + " N=" + n + " N_in=" + nIn + (everyStep ? "" : " last-step loss") + " " + variant;
    }
  }

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    for (String rule : List.of("eprop", "eprop-random", "rflo")) {
      c.add(new Case(rule, Cell.VOLTAGE_LEAK, Math.exp(-1 / 20.0), true, 1e-3, 37, 11, true, ""));
      c.add(new Case(rule, Cell.VOLTAGE_LEAK, 0.6, false, 0, 5, 3, true, ""));
      c.add(new Case(rule, Cell.RATE_LEAK, 0.3, true, 1e-3, 37, 11, true, ""));
      c.add(new Case(rule, Cell.RATE_LEAK, 0.3, false, 0, 37, 11, true, ""));
      c.add(new Case(rule, Cell.RATE_LEAK, 1.0, true, 2e-3, 21, 4, true, ""));
      c.add(new Case(rule, Cell.RATE_LEAK, 0.3, true, 1e-3, 37, 11, false, ""));
    }
    c.add(new Case("eprop", Cell.VOLTAGE_LEAK, 0.6, true, 1e-3, 37, 11, false, ""));
    c.add(new Case("eprop", Cell.VOLTAGE_LEAK, 0.6, true, 1e-3, 20, 6, true, "frozen W_in"));
    c.add(new Case("rflo", Cell.RATE_LEAK, 0.3, true, 1e-3, 20, 6, true, "sparse W_rec"));
    // factored without L2 under SGD: the one-pass rows (subtractRank1), vector body and tails
    c.add(new Case("eprop", Cell.VOLTAGE_LEAK, 0.6, true, 0, 37, 11, true, ""));
    c.add(new Case("eprop", Cell.VOLTAGE_LEAK, 0.6, true, 0, 20, 6, true, "frozen W_in"));
    c.add(new Case("eprop", Cell.VOLTAGE_LEAK, 0.6, false, 0, 20, 6, true, "sparse W_rec"));
    // factored with L2 under SGD: the one-pass rows with the decay (subtractDecayedRank1)
    c.add(new Case("eprop", Cell.VOLTAGE_LEAK, 0.6, false, 1e-3, 20, 6, true, "sparse W_rec"));
    c.add(new Case("eprop", Cell.RATE_LEAK, 1.0, false, 1e-2, 37, 11, true, "sparse W_rec"));
    c.add(new Case("mdgl", Cell.VOLTAGE_LEAK, 0.6, true, 1e-3, 20, 6, true, ""));
    c.add(new Case("modprop", Cell.RATE_LEAK, 0.3, true, 1e-3, 20, 6, true, ""));
    return c;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fusedStepIsTheStepThenTheOptimizerBitForBit(Case k) {
    ModelConfig.Builder b = ModelConfig.builder(k.nIn(), k.n(), 3).cell(k.cell()).leak(k.leak())
        .recurrentBias(k.bias()).l2(k.l2()).loss(LossKind.MSE);
    if (k.variant().equals("sparse W_rec")) {
      b.connectionProbability(0.5);
    }
    ModelConfig config = b.build();
    FloatBatch batch = FloatBatch.regression(T, 1, k.nIn(), 3);
    if (k.everyStep()) {
      batch = batch.lossAtEveryStep();
    }
    RandomStream rng = new RandomStream(7 + k.n());
    rng.fillUniform(batch.x(), 0, batch.x().length, -1f, 1f);
    rng.fillUniform(batch.targets(), 0, batch.targets().length, -1f, 1f);
    for (String kind : OptimizerSettings.KINDS) {
      FloatLearningRule rule = FloatRules.create(k.rule(), config, RuleOptions.defaults());
      FloatParameters pa = FloatParameters.initialize(config, 3);
      if (k.variant().equals("frozen W_in")) {
        pa.freeze(Block.W_IN, true);
      }
      FloatParameters pb = pa.copy();
      int size = pa.data().length;
      double eta = kind.equals("adam") ? 1e-2 : 0.05;
      FloatOptimizer oa = FloatOptimizers.create(OptimizerSettings.of(kind), size,
          TrainableRanges.all(size));
      FloatOptimizer ob = FloatOptimizers.create(OptimizerSettings.of(kind), size,
          TrainableRanges.all(size));
      FloatWorkspace wa = rule.newWorkspace(1, T);
      FloatWorkspace wb = rule.newWorkspace(1, T);
      float[] ga = pa.newGradient();
      float[] gb = pb.newGradient();
      boolean fusedAtAll = false;
      float[] y = new float[3];
      Prediction prediction = new Prediction(config);
      for (int sequence = 0; sequence < 2; sequence++) {
        rule.beginOnline(pa, wa);
        rule.beginOnline(pb, wb);
        prediction.reset();
        for (int t = 0; t < T; t++) {
          String at = k + " " + kind + " sequence " + sequence + " t=" + t;
          double la = rule.stepOnline(pa, batch, t, wa, ga);
          assertTrue(Double.isFinite(la), at + ": the loss is " + la);
          oa.step(pa.data(), ga, 1.0, eta);
          Arrays.fill(gb, Float.NaN); // the fused blocks' part of grad is scratch
          if (sequence == 1) { // the prediction first, as the embedding service asks for it
            predicted(config, pb, batch, t, prediction);
            assertTrue(rule.predictOnline(pb, batch, t, wb, y), at);
            assertArrayEquals(prediction.y, y, at + " prediction");
          }
          double lb = rule.stepOnline(pb, batch, t, wb, gb, ob, eta);
          assertEquals(la, lb, at);
          assertArrayEquals(pa.data(), pb.data(), at);
          assertEquals(oa.state(), ob.state(), at);
          fusedAtAll |= ((FloatLocalWorkspace) wb).fused;
          pa.project();
          pb.project();
        }
      }
      if (fusable(k)) {
        assertTrue(fusedAtAll, k + " " + kind + " never took the fused path");
      } else {
        assertFalse(fusedAtAll, k + " " + kind + " must not fuse");
      }
    }
  }

  private static boolean fusable(Case k) {
    return !k.rule().equals("mdgl") && !k.rule().equals("modprop");
  }

  /** The forward pass and readout on their own (the oracle of predictOnline). */
  private static final class Prediction {
    final FloatSampleStep step;
    final float[] pre;
    final float[] z;
    final float[] u;
    final float[] y = new float[3];
    int parity;

    Prediction(ModelConfig c) {
      step = new FloatSampleStep(c, Kernels.f32());
      pre = new float[2 * c.hidden()];
      z = new float[2 * c.hidden()];
      u = new float[c.hidden()];
    }

    void reset() {
      Arrays.fill(pre, 0f);
      Arrays.fill(z, 0f);
      parity = 0;
    }
  }

  /** y_t = W_out z_t + b_out from the stand-alone forward pass (advanced to step t). */
  private static void predicted(ModelConfig c, FloatParameters p, FloatBatch batch, int t,
      Prediction s) {
    int n = c.hidden();
    int prev = s.parity * n;
    s.step.forward(p, batch.x(), batch.xOffset(t, 0), s.pre, s.z, prev, n - prev, s.u);
    float[] par = p.data();
    System.arraycopy(par, p.view(Block.B_OUT).offset(), s.y, 0, 3);
    Kernels.f32().gemv(3, n, 1f, par, p.view(Block.W_OUT).offset(), n, s.z, n - prev, s.y, 0);
    s.parity ^= 1;
  }
}
