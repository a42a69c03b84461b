package org.tca.rules.learning;

import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.ModelConfig;

/**
 * Makes a rule from its command-line name: "bptt", "tbptt" (needs the truncation window k) or
 * "rtrl". Rules of later issues register here too.
 */
public final class FloatRules {

  /** The names {@link #create} accepts. */
  public static final String NAMES = "bptt, tbptt, rtrl";

  private FloatRules() {}

  /** A rule using the kernels this JVM picked; {@code window} is used by tbptt only. */
  public static FloatLearningRule create(String id, ModelConfig config, int window) {
    return create(id, config, window, Kernels.f32());
  }

  /** A rule using the given kernels; {@code window} is used by tbptt only. */
  public static FloatLearningRule create(String id, ModelConfig config, int window,
      FloatKernels kernels) {
    return switch (id) {
      case "bptt" -> new FloatBptt(config, kernels);
      case "tbptt" -> new FloatTruncatedBptt(config, window, kernels);
      case "rtrl" -> new FloatRtrl(config, kernels);
      default -> throw new IllegalArgumentException(
          "unknown rule '" + id + "' (expected one of " + NAMES + ")");
    };
  }
}
