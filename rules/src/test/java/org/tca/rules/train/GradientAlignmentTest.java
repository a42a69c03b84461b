package org.tca.rules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.learning.FloatBptt;
import org.tca.rules.learning.FloatEprop;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * The alignment probe: BPTT against itself has cosine 1 (to f32 rounding: the two f32 gradients
 * are bitwise equal, so only the double sums' rounding, ~1e-16, remains); e-prop's readout
 * blocks are exact (cosine 1) while its W_rec update is not; the values equal cosines computed
 * here in plain double loops; frozen blocks are left out; parameters are not modified.
 */
class GradientAlignmentTest {

  static FloatBatch batch(ModelConfig c, int steps, int size) {
    FloatBatch b = FloatBatch.classification(steps, size, c.inputs(), c.outputs(), false);
    RandomStream r = new RandomStream(4);
    for (int i = 0; i < b.x().length; i++) {
      b.x()[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < size; i++) {
      b.labels()[i] = r.nextInt(c.outputs());
    }
    return b.lossAtEveryStep();
  }

  @Test
  void measuresCosinesPerBlockAndOverall() {
    ModelConfig c = ModelConfig.builder(3, 8, 2).leak(0.4).build();
    FloatParameters p = FloatParameters.initialize(c, 2);
    FloatBatch batch = batch(c, 7, 5);
    float[] before = p.data().clone();
    Map<String, Double> self = new GradientAlignment(new FloatBptt(c), batch).measure(0, 0.1, p);
    for (Map.Entry<String, Double> e : self.entrySet()) {
      assertEquals(1.0, e.getValue(), 1e-12, e.getKey());
    }
    FloatEprop eprop = new FloatEprop(c);
    Map<String, Double> m = new GradientAlignment(eprop, batch).measure(10, 0.1, p);
    assertEquals(List.of("grad_cosine", "grad_cosine_W_in", "grad_cosine_W_rec",
        "grad_cosine_b_rec", "grad_cosine_W_out", "grad_cosine_b_out", "grad_norm_ratio"),
        List.copyOf(m.keySet()));
    assertEquals(1.0, m.get("grad_cosine_W_out"), 1e-12);
    assertEquals(1.0, m.get("grad_cosine_b_out"), 1e-12);
    assertTrue(m.get("grad_cosine_W_rec") < 0.999, "e-prop is not BPTT: " + m);
    float[] g = gradient(eprop, p, batch);
    float[] h = gradient(new FloatBptt(c), p, batch);
    for (Block b : Block.values()) {
      BlockView v = p.view(b);
      assertEquals(plainCosine(g, h, v.offset(), v.end()), m.get("grad_cosine_" + b.id()), 1e-12,
          b.id());
    }
    assertEquals(plainCosine(g, h, 0, g.length), m.get("grad_cosine"), 1e-12);
    assertEquals(Math.sqrt(plainDot(g, g, 0, g.length) / plainDot(h, h, 0, h.length)),
        m.get("grad_norm_ratio"), 1e-12);
    assertEquals(before.length, p.data().length);
    for (int i = 0; i < before.length; i++) {
      assertEquals(before[i], p.data()[i], 0f, "parameters must not change");
    }
    FloatParameters frozen = p.copy().freeze(Block.W_IN, true);
    Map<String, Double> f = new GradientAlignment(eprop, batch).measure(0, 0.1, frozen);
    assertFalse(f.containsKey("grad_cosine_W_in"));
    assertTrue(Double.isNaN(GradientAlignment.cosine(new float[3], g, 0, 3)));
  }

  private static float[] gradient(FloatLearningRule r, FloatParameters p, FloatBatch b) {
    float[] g = p.newGradient();
    r.gradient(p, b, r.newWorkspace(b.size(), b.steps()), g);
    return g;
  }

  private static double plainDot(float[] a, float[] b, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += (double) a[i] * (double) b[i];
    }
    return s;
  }

  private static double plainCosine(float[] a, float[] b, int from, int to) {
    return plainDot(a, b, from, to)
        / Math.sqrt(plainDot(a, a, from, to) * plainDot(b, b, from, to));
  }
}
