package org.tca.rules.learning;

import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.ModelConfig;

/**
 * Makes a rule from its command-line name:
 *
 * <ul>
 *   <li>exact: "bptt", "tbptt" (truncation window k = {@link RuleOptions#window}), "rtrl";
 *   <li>unbiased stochastic RTRL: "uoro" ({@link DoubleUoro}), "kf-rtrl" ({@link DoubleKfRtrl}),
 *       their random signs seeded by {@link RuleOptions#feedbackSeed};
 *   <li>e-prop: "eprop" (B = W_out'), "eprop-random" (fixed B ~ N(0, 1/N) from
 *       {@link RuleOptions#feedbackSeed});
 *   <li>"rflo" (fixed B ~ N(0, 1/N_out) from the feedback seed);
 *   <li>"mdgl" (Wt = W_rec), "mdgl-celltype" (Wt = cell-type block means), both B = W_out';
 *   <li>"modprop" (cell-type means, f' -&gt; {@link RuleOptions#mu} on the non-local path,
 *       placed by {@link RuleOptions#muPlacement}, B = W_out').
 * </ul>
 *
 * Each rule's equations, as implemented: docs/science.md, section "Learning rules".
 */
public final class DoubleRules {

  /** The names {@link #create} accepts. */
  public static final String NAMES =
      "bptt, tbptt, rtrl, uoro, kf-rtrl, eprop, eprop-random, rflo, mdgl, mdgl-celltype, modprop";

  private DoubleRules() {}

  /** A rule using the kernels this JVM picked; {@code window} is used by tbptt only. */
  public static DoubleLearningRule create(String id, ModelConfig config, int window) {
    return create(id, config, window, Kernels.f64());
  }

  /** A rule using the given kernels; {@code window} is used by tbptt only. */
  public static DoubleLearningRule create(String id, ModelConfig config, int window,
      DoubleKernels kernels) {
    return create(id, config, RuleOptions.defaults().withWindow(window), kernels);
  }

  /** A rule with the given options, using the kernels this JVM picked. */
  public static DoubleLearningRule create(String id, ModelConfig config, RuleOptions options) {
    return create(id, config, options, Kernels.f64());
  }

  /** A rule with the given options and kernels. */
  public static DoubleLearningRule create(String id, ModelConfig config, RuleOptions options,
      DoubleKernels kernels) {
    return switch (id) {
      case "bptt" -> new DoubleBptt(config, kernels);
      case "tbptt" -> new DoubleTruncatedBptt(config, options.window(), kernels);
      case "rtrl" -> new DoubleRtrl(config, kernels);
      case "uoro" -> new DoubleUoro(config, options.feedbackSeed(), kernels);
      case "kf-rtrl" -> new DoubleKfRtrl(config, options.feedbackSeed(), kernels);
      case "eprop" -> new DoubleEprop(config, Feedback.SYMMETRIC, kernels);
      case "eprop-random" -> DoubleEprop.random(config, options.feedbackSeed(), kernels);
      case "rflo" -> new DoubleRflo(config, DoubleRflo.murray(config, options.feedbackSeed()),
          kernels);
      case "mdgl" -> new DoubleMdgl(config, false, kernels);
      case "mdgl-celltype" -> new DoubleMdgl(config, true, kernels);
      case "modprop" -> new DoubleModProp(config, options.mu(), options.muPlacement(),
          Feedback.SYMMETRIC, kernels);
      default -> throw new IllegalArgumentException(
          "unknown rule '" + id + "' (expected one of " + NAMES + ")");
    };
  }
}
