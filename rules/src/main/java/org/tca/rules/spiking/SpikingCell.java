package org.tca.rules.spiking;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Which spiking neurons a network of N units holds (the {@code --cell} of a spiking run): all LIF
 * (N_a = 0), all ALIF (N_a = N), or the published mix, the first N - floor(N/2) LIF and the last
 * floor(N/2) ALIF. The neuron equations are {@link SpikingConfig}'s.
 */
public enum SpikingCell {
  /** Leaky integrate-and-fire units only. */
  LIF("lif"),
  /** Adaptive (threshold-adapting) LIF units only. */
  ALIF("alif"),
  /** Half LIF, half ALIF (Bellec et al. 2020's evidence-accumulation network). */
  LIF_ALIF("lif-alif");

  private final String id;

  SpikingCell(String id) {
    this.id = id;
  }

  /** The command-line name. */
  public String id() {
    return id;
  }

  /** N_a, the number of ALIF units among {@code hidden}. */
  public int adaptiveCount(int hidden) {
    return switch (this) {
      case LIF -> 0;
      case ALIF -> hidden;
      case LIF_ALIF -> hidden / 2;
    };
  }

  /** The cell a config's N_a spells (the mix for any 0 &lt; N_a &lt; N). */
  public static SpikingCell of(SpikingConfig c) {
    return c.adaptiveCount() == 0 ? LIF : c.adaptiveCount() == c.hidden() ? ALIF : LIF_ALIF;
  }

  /** True when {@code id} names a spiking cell. */
  public static boolean isSpiking(String id) {
    return Arrays.stream(values()).anyMatch(c -> c.id.equals(id));
  }

  /** The ids, comma-separated. */
  public static String names() {
    return Arrays.stream(values()).map(SpikingCell::id).collect(Collectors.joining(", "));
  }

  /** Parses {@link #id()}. */
  public static SpikingCell parse(String id) {
    for (SpikingCell c : values()) {
      if (c.id.equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown spiking cell '" + id + "' (expected one of "
        + names() + ")");
  }
}
