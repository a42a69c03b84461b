package org.tca.rules.learning;

import java.util.Locale;

/**
 * Where ModProp ({@link FloatModProp}) puts its constant mu in place of f'. A path of credit from
 * a loss at s back to the synapse pq at t &lt; s runs p -&gt; j_1 -&gt; ... -&gt; j_r (j_r read out at
 * s) and crosses r + 1 activation derivatives; both placements keep exactly one of them exact:
 *
 * <ul>
 *   <li>{@link #RECEIVER} (tca's default): f'(v_p) exact at the updated neuron p (in e-prop's
 *       trace), mu at j_1 .. j_r, the readout's neuron included;
 *   <li>{@link #SENDER} (the authors' TensorFlow code): mu at every neuron that passes credit
 *       on (p, j_1 .. j_{r-1}), f'(v_{j_r}) exact at the readout: with G_t ~ dJ/dv_t,
 *       G_t = psi_t . D_t + mu (1-a) Wt' G_{t+1} + a G_{t+1}, dW = sum_t (1-a) G_t q_t'.
 * </ul>
 */
public enum MuPlacement {
  RECEIVER("receiver"),
  SENDER("sender");

  private final String id;

  MuPlacement(String id) {
    this.id = id;
  }

  /** The name used on command lines and in settings ("receiver", "sender"). */
  public String id() {
    return id;
  }

  /** The placement named {@code s} (case-insensitive). */
  public static MuPlacement parse(String s) {
    for (MuPlacement m : values()) {
      if (m.id.equals(s.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown mu placement '" + s
        + "' (expected receiver or sender)");
  }
}
