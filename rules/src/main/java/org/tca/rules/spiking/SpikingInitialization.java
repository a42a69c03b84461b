package org.tca.rules.spiking;

import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.FloatParameters;

/**
 * Initial parameters of a spiking network: those of the rate network
 * ({@link FloatParameters#initialize}: same seed, mask, Dale signs and draws) with W_in and W_rec
 * rescaled to the threshold, so that the units start in a low, irregular firing regime:
 *
 * <pre>
 *   W_in ~ N(0, (g_in v_th)^2 / N_in),   W_rec ~ N(0, (g_rec v_th)^2 / N)   (allowed entries),
 *   W_out ~ U(-r, r), r = sqrt(6 / (N + N_out)),   b_out = 0
 * </pre>
 *
 * with g_in = {@value #INPUT_GAIN} and g_rec = {@value #RECURRENT_GAIN} (the rate draws, N(0, 2/n),
 * multiplied by g v_th / sqrt(2)).
 */
public final class SpikingInitialization {

  /** g_in. */
  public static final double INPUT_GAIN = 1.0;
  /** g_rec. */
  public static final double RECURRENT_GAIN = 0.25;

  private SpikingInitialization() {}

  /** The initial parameters of {@code c} from {@code seed}, g_in = {@value #INPUT_GAIN}. */
  public static FloatParameters initialize(SpikingConfig c, long seed) {
    return initialize(c, seed, INPUT_GAIN);
  }

  /**
   * The initial parameters of {@code c} from {@code seed} with input gain g_in (sparse inputs
   * need a larger one: the evidence task's 10 Hz background, about 3).
   */
  public static FloatParameters initialize(SpikingConfig c, long seed, double inputGain) {
    if (!(inputGain > 0) || Double.isInfinite(inputGain)) {
      throw new IllegalArgumentException("the input gain must be > 0 and finite, got "
          + inputGain);
    }
    FloatParameters p = FloatParameters.initialize(c.base(), seed);
    scale(p, Block.W_IN, inputGain * c.threshold() / Math.sqrt(2));
    scale(p, Block.W_REC, RECURRENT_GAIN * c.threshold() / Math.sqrt(2));
    return p;
  }

  private static void scale(FloatParameters p, Block b, double factor) {
    BlockView v = p.view(b);
    float f = (float) factor;
    for (int i = v.offset(); i < v.end(); i++) {
      p.data()[i] *= f;
    }
  }
}
