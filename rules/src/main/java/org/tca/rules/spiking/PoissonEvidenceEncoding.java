package org.tca.rules.spiking;

import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.FloatBatch;

/**
 * The published spiking encoding of evidence accumulation (Bellec et al. 2020, Fig. 3; dt = 1 ms):
 * 40 Poisson input channels in four groups of 10 (left cues, right cues, recall cue, background
 * noise). After {@value #LEAD} ms, 7 cues of {@value #CUE} ms each, separated by {@value #GAP} ms,
 * each on the left or the right with probability 1/2: during a cue its group fires at
 * {@value #SIGNAL_HZ} Hz. The noise group fires at {@value #NOISE_HZ} Hz throughout, the recall
 * group at {@value #SIGNAL_HZ} Hz in the last {@value #RECALL} ms, where the loss sits (equal
 * weights); the label is the side with more cues (0 = left, 1 = right). T = 2250 in the paper
 * (the delay between the last cue and the recall is T - 150 - 1100 ms).
 */
public final class PoissonEvidenceEncoding {

  /** Input channels. */
  public static final int CHANNELS = 40;
  /** Cues per trial. */
  public static final int CUES = 7;
  /** Silence before the first cue, ms. */
  public static final int LEAD = 50;
  /** Cue length, ms. */
  public static final int CUE = 100;
  /** Gap after each cue, ms. */
  public static final int GAP = 50;
  /** Recall window, ms. */
  public static final int RECALL = 150;
  /** Firing rate of an active cue or recall group, Hz. */
  public static final double SIGNAL_HZ = 40;
  /** Firing rate of the noise group, Hz. */
  public static final double NOISE_HZ = 10;
  /** The published trial length, ms. */
  public static final int PUBLISHED_STEPS = 2250;

  private PoissonEvidenceEncoding() {}

  /** The shortest T that holds the cues and the recall window. */
  public static int minSteps() {
    return LEAD + CUES * (CUE + GAP) + RECALL;
  }

  /**
   * Fills a classification batch (N_in = 40, 2 classes, one label per sample) with fresh trials
   * drawn from {@code r} and sets its loss mask to the recall window.
   */
  public static void fill(FloatBatch batch, RandomStream r) {
    int steps = batch.steps();
    if (batch.inputs() != CHANNELS || batch.outputs() != 2 || !batch.classification()
        || batch.labelsPerStep()) {
      throw new IllegalArgumentException("the spiking evidence encoding needs a classification"
          + " batch with 40 inputs, 2 classes and one label per sample");
    }
    if (steps < minSteps()) {
      throw new IllegalArgumentException("the spiking evidence encoding needs T >= " + minSteps()
          + " steps, got " + steps);
    }
    int bs = batch.size();
    float[] x = batch.x();
    java.util.Arrays.fill(x, 0f);
    double signal = SIGNAL_HZ / 1000;
    double noise = NOISE_HZ / 1000;
    for (int b = 0; b < bs; b++) {
      int right = 0;
      int[] side = new int[CUES];
      for (int c = 0; c < CUES; c++) {
        side[c] = r.nextDouble() < 0.5 ? 0 : 1;
        right += side[c];
      }
      batch.labels()[b] = 2 * right > CUES ? 1 : 0;
      for (int t = 0; t < steps; t++) {
        int off = batch.xOffset(t, b);
        int cue = t - LEAD;
        int group = -1;
        if (cue >= 0 && cue < CUES * (CUE + GAP) && cue % (CUE + GAP) < CUE) {
          group = side[cue / (CUE + GAP)];
        } else if (t >= steps - RECALL) {
          group = 2;
        }
        for (int ch = 0; ch < CHANNELS; ch++) {
          int g = ch / 10;
          double p = g == 3 ? noise : g == group ? signal : 0;
          if (p > 0 && r.nextDouble() < p) {
            x[off + ch] = 1f;
          }
        }
      }
    }
    float[] mask = new float[steps];
    for (int t = steps - RECALL; t < steps; t++) {
      mask[t] = 1f;
    }
    batch.lossMask(mask);
  }
}
