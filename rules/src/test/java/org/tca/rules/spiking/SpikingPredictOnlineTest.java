package org.tca.rules.spiking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;

/**
 * The split online step of the spiking rules ({@link FloatSpikingOnlineRule#predictOnline}, what
 * the embedding service answers y_t with before it has the target): predict then step is the
 * step alone, bit for bit (losses, estimates g_t and, with an SGD update after every step so
 * that the weights change between steps, the parameters), over 2.5 sequences of T = 9 steps on
 * mixed LIF/ALIF with Dale, a sparse mask, L2 and the rate term, and on LIF only; the predicted
 * y_t is the one the loss is taken at (MSE recomputed from it in double, relative 1e-6: one f32
 * rounding of each term of the loss); the spike count per step sums to the sample's own spike
 * counts; out-of-order calls are refused.
 */
class SpikingPredictOnlineTest {

  private static final int T = 9;
  private static final List<String> RULES = List.of("eprop", "eprop-random", "rtrl", "mdgl",
      "mdgl-celltype", "tbptt");

  static List<SpikingConfig> configs() {
    ModelConfig base = ModelConfig.builder(3, 8, 2).recurrentBias(false).dale(true)
        .connectionProbability(0.6).loss(LossKind.MSE).l2(0.01).build();
    SpikingConfig mixed = new SpikingConfig(base, 4, 5, 20, 0.7, 0.3, 0.3, 1, 4, 0.1, 0.05);
    return List.of(mixed, mixed.withAdaptive(0).withRate(0, 0.05));
  }

  static List<Object[]> cases() {
    List<Object[]> out = new ArrayList<>();
    for (String id : RULES) {
      for (SpikingConfig c : configs()) {
        out.add(new Object[] {id, c});
      }
    }
    return out;
  }

  private static FloatBatch batch() {
    FloatBatch b = FloatBatch.regression(T, 1, 3, 2).lossAtEveryStep();
    RandomStream r = new RandomStream(4);
    for (int i = 0; i < b.x().length; i++) {
      b.x()[i] = r.nextDouble() < 0.4 ? 1f : 0f;
    }
    for (int i = 0; i < b.targets().length; i++) {
      b.targets()[i] = (float) r.nextGaussian();
    }
    return b;
  }

  private static FloatSpikingOnlineRule rule(String id, SpikingConfig c) {
    return (FloatSpikingOnlineRule) FloatSpikingRules.create(id, c,
        RuleOptions.defaults().withWindow(3).withFeedbackSeed(9), Kernels.scalarF32());
  }

  private static void sgd(FloatParameters p, float[] grad) {
    float[] w = p.data();
    for (int i = 0; i < w.length; i++) {
      w[i] -= 0.5f * grad[i];
    }
    p.project();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void predictThenStepIsTheStepBitForBit(String id, SpikingConfig c) {
    FloatSpikingOnlineRule rule = rule(id, c);
    FloatBatch batch = batch();
    FloatParameters split = SpikingInitialization.initialize(c, 5, 3);
    FloatParameters plain = SpikingInitialization.initialize(c, 5, 3);
    float[] initial = split.data().clone();
    FloatWorkspace ws = rule.newWorkspace(1, T);
    FloatWorkspace wsPlain = rule.newWorkspace(1, T);
    float[] g = split.newGradient();
    float[] gPlain = plain.newGradient();
    float[] y = new float[2];
    long spikes = 0;
    long spikesPlain = 0;
    for (int k = 0; k < 5 * T / 2; k++) {
      int t = k % T;
      if (t == 0) {
        rule.beginOnline(split, ws);
        rule.beginOnline(plain, wsPlain);
        spikes = 0;
        spikesPlain = 0;
      }
      assertTrue(rule.predictOnline(split, batch, t, ws, y));
      double l = rule.stepOnline(split, batch, t, ws, g);
      double lPlain = rule.stepOnline(plain, batch, t, wsPlain, gPlain);
      String at = id + " step " + k;
      assertEquals(lPlain, l, 0.0, at);
      assertArrayEquals(gPlain, g, at);
      if (t < T - 1) { // the rate term joins the last step's loss
        double mse = 0;
        for (int o = 0; o < 2; o++) {
          double d = (double) y[o] - batch.targets()[batch.targetOffset(t, 0) + o];
          mse += d * d / 2;
        }
        assertEquals(mse / T, l, 1e-6 * mse / T + 1e-30, at + ": the predicted y_t");
      }
      spikes += rule.spikes(ws);
      spikesPlain += rule.spikes(wsPlain);
      if (t == T - 1) {
        float[] counts = rule.sample(ws).counts;
        double sum = 0;
        for (float n : counts) {
          sum += n;
        }
        assertEquals(sum, spikes, 0.0, at + ": spikes of the sequence");
        assertEquals(spikes, spikesPlain, at);
      }
      sgd(split, g);
      sgd(plain, gPlain);
    }
    assertArrayEquals(plain.data(), split.data(), id);
    var rec = split.view(Block.W_REC);
    boolean moved = false;
    for (int i = rec.offset(); i < rec.end(); i++) {
      moved |= split.data()[i] != initial[i];
    }
    assertTrue(moved, id + ": W_rec never changed, so the weights did not move between steps");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void stepsOutOfOrderAfterAPredictionAreRefused(String id, SpikingConfig c) {
    FloatSpikingOnlineRule rule = rule(id, c);
    FloatBatch batch = batch();
    FloatParameters p = SpikingInitialization.initialize(c, 5, 3);
    FloatWorkspace ws = rule.newWorkspace(1, T);
    float[] g = p.newGradient();
    float[] y = new float[2];
    rule.beginOnline(p, ws);
    rule.predictOnline(p, batch, 0, ws, y);
    IllegalStateException twice = assertThrows(IllegalStateException.class,
        () -> rule.predictOnline(p, batch, 0, ws, y));
    assertTrue(twice.getMessage().contains("predicted already"), twice.getMessage());
    IllegalStateException skipped = assertThrows(IllegalStateException.class,
        () -> rule.stepOnline(p, batch, 1, ws, g));
    assertTrue(skipped.getMessage().contains("step 0 was predicted"), skipped.getMessage());
    rule.stepOnline(p, batch, 0, ws, g);
    assertThrows(IllegalStateException.class, () -> rule.stepOnline(p, batch, 0, ws, g));
    // a new sequence drops a pending prediction: step 0 again is the first step's bits
    rule.predictOnline(p, batch, 1, ws, y);
    rule.beginOnline(p, ws);
    double first = rule.stepOnline(p, batch, 0, ws, g);
    FloatWorkspace fresh = rule.newWorkspace(1, T);
    float[] gFresh = p.newGradient();
    rule.beginOnline(p, fresh);
    assertEquals(rule.stepOnline(p, batch, 0, fresh, gFresh), first, 0.0, id);
    assertArrayEquals(gFresh, g, id);
  }
}
