package org.tca.rules.learning;

import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.ModelConfig;

/**
 * Makes a rule from its command-line name:
 *
 * <ul>
 *   <li>exact: "bptt", "tbptt" (truncation window k = {@link RuleOptions#window}), "rtrl";
 *   <li>unbiased stochastic RTRL: "uoro" ({@link FloatUoro}), "kf-rtrl" ({@link FloatKfRtrl}),
 *       "r-kf-rtrl" ({@link FloatReverseKfRtrl}), their random signs seeded by
 *       {@link RuleOptions#feedbackSeed};
 *   <li>sparse RTRL: "snap-1", "snap-2" ({@link FloatSnap});
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
public final class FloatRules {

  /** The names {@link #create} accepts. */
  public static final String NAMES =
      "bptt, tbptt, rtrl, uoro, kf-rtrl, r-kf-rtrl, snap-1, snap-2, eprop, eprop-random, rflo, mdgl, mdgl-celltype, modprop";

  private FloatRules() {}

  /** A rule using the kernels this JVM picked; {@code window} is used by tbptt only. */
  public static FloatLearningRule create(String id, ModelConfig config, int window) {
    return create(id, config, window, Kernels.f32());
  }

  /** A rule using the given kernels; {@code window} is used by tbptt only. */
  public static FloatLearningRule create(String id, ModelConfig config, int window,
      FloatKernels kernels) {
    return create(id, config, RuleOptions.defaults().withWindow(window), kernels);
  }

  /** A rule with the given options, using the kernels this JVM picked. */
  public static FloatLearningRule create(String id, ModelConfig config, RuleOptions options) {
    return create(id, config, options, Kernels.f32());
  }

  /** A rule with the given options and kernels. */
  public static FloatLearningRule create(String id, ModelConfig config, RuleOptions options,
      FloatKernels kernels) {
    return switch (id) {
      case "bptt" -> new FloatBptt(config, kernels);
      case "tbptt" -> new FloatTruncatedBptt(config, options.window(), kernels);
      case "rtrl" -> new FloatRtrl(config, kernels);
      case "uoro" -> new FloatUoro(config, options.feedbackSeed(), kernels);
      case "kf-rtrl" -> new FloatKfRtrl(config, options.feedbackSeed(), kernels);
      case "r-kf-rtrl" -> new FloatReverseKfRtrl(config, options.feedbackSeed(), kernels);
      case "snap-1" -> new FloatSnap(config, 1, kernels);
      case "snap-2" -> new FloatSnap(config, 2, kernels);
      case "eprop" -> new FloatEprop(config, Feedback.SYMMETRIC, kernels);
      case "eprop-random" -> FloatEprop.random(config, options.feedbackSeed(), kernels);
      case "rflo" -> new FloatRflo(config, FloatRflo.murray(config, options.feedbackSeed()),
          kernels);
      case "mdgl" -> new FloatMdgl(config, false, kernels);
      case "mdgl-celltype" -> new FloatMdgl(config, true, kernels);
      case "modprop" -> new FloatModProp(config, options.mu(), options.muPlacement(),
          Feedback.SYMMETRIC, kernels);
      default -> throw new IllegalArgumentException(
          "unknown rule '" + id + "' (expected one of " + NAMES + ")");
    };
  }
}
