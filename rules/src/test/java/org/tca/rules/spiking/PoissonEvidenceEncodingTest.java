package org.tca.rules.spiking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.ModelConfig;

/** The published spiking evidence encoding and the spiking config's input checks. */
class PoissonEvidenceEncodingTest {

  /**
   * Labels are the majority side of the cue spikes; each group fires only when it should, at its
   * rate within 5 standard errors; the loss sits on the recall window.
   */
  @Test
  void trialsFollowThePublishedTiming() {
    int steps = PoissonEvidenceEncoding.PUBLISHED_STEPS;
    int bs = 64;
    FloatBatch b = FloatBatch.classification(steps, bs, 40, 2, false);
    PoissonEvidenceEncoding.fill(b, new RandomStream(9));
    double[] groupSpikes = new double[4];
    long[] groupSlots = new long[4];
    int labelsRight = 0;
    for (int s = 0; s < bs; s++) {
      double[][] cueSpikes = new double[7][2];
      for (int t = 0; t < steps; t++) {
        int cue = t - PoissonEvidenceEncoding.LEAD;
        boolean cueTime = cue >= 0 && cue < 7 * 150 && cue % 150 < 100;
        boolean recall = t >= steps - 150;
        for (int ch = 0; ch < 40; ch++) {
          float x = b.x()[b.xOffset(t, s) + ch];
          int g = ch / 10;
          if ((g < 2 && !cueTime) || (g == 2 && !recall)) {
            assertEquals(0f, x, "group " + g + " fired at t=" + t);
          }
          if (g < 2 && cueTime) {
            cueSpikes[cue / 150][g] += x;
          }
          groupSpikes[g] += x;
          groupSlots[g] += g == 3 ? 1 : 0;
        }
      }
      int right = 0;
      for (double[] c : cueSpikes) {
        // one side per cue (the other silent; an active side has ~40 spikes, P(0) = e^-40)
        assertTrue((c[0] == 0) != (c[1] == 0), "exactly one side per cue: " + c[0] + ", " + c[1]);
        right += c[1] > 0 ? 1 : 0;
      }
      assertEquals(right >= 4 ? 1 : 0, b.labels()[s], "sample " + s);
      labelsRight += b.labels()[s];
    }
    double p = groupSpikes[3] / groupSlots[3];
    double se = Math.sqrt(0.01 / groupSlots[3]);
    assertEquals(0.01, p, 5 * se, "noise rate");
    double recallRate = groupSpikes[2] / (bs * 10.0 * 150);
    assertEquals(0.04, recallRate, 5 * Math.sqrt(0.04 / (bs * 1500.0)), "recall rate");
    assertTrue(labelsRight > 16 && labelsRight < 48, "labels are balanced: " + labelsRight);
    for (int t = 0; t < steps; t++) {
      assertEquals(t >= steps - 150 ? 1f : 0f, b.lossMask()[t]);
    }
  }

  @Test
  void badShapesAndConfigsAreRefusedWithTheirName() {
    var e = assertThrows(IllegalArgumentException.class, () -> PoissonEvidenceEncoding.fill(
        FloatBatch.classification(1000, 1, 40, 2, false), new RandomStream(1)));
    assertTrue(e.getMessage().contains("T >= 1250"), e.getMessage());
    ModelConfig withBias = ModelConfig.builder(40, 10, 2).build();
    e = assertThrows(IllegalArgumentException.class, () -> SpikingConfig.published(withBias));
    assertTrue(e.getMessage().contains("b_rec"), e.getMessage());
    ModelConfig base = withBias.toBuilder().recurrentBias(false).build();
    e = assertThrows(IllegalArgumentException.class,
        () -> SpikingConfig.published(base).withAdaptive(11));
    assertTrue(e.getMessage().contains("ALIF"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SpikingConfig.published(base).withTimeConstants(0, 2000, 20));
    assertTrue(e.getMessage().startsWith("tau_m"), e.getMessage());
  }
}
