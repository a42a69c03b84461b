package org.tca.rules.learning;

import java.util.List;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.ModelConfig;

/**
 * The learning rules tca knows, one {@link Entry} each (id, one-line description,
 * {@link RuleFamily} and factory): adding a rule is adding one entry to {@link #ALL}.
 *
 * <ul>
 *   <li>exact: "bptt", "tbptt" (truncation window k = {@link RuleOptions#window}), "rtrl";
 *   <li>unbiased stochastic RTRL: "uoro" ({@link DoubleUoro}), "kf-rtrl" ({@link DoubleKfRtrl}),
 *       "r-kf-rtrl" ({@link DoubleReverseKfRtrl}), their random signs seeded by
 *       {@link RuleOptions#feedbackSeed};
 *   <li>sparse RTRL: "snap-1", "snap-2" ({@link DoubleSnap});
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

  /** Makes a rule for a model, with options and kernels. */
  @FunctionalInterface
  public interface Factory {
    /** The rule for {@code config}. */
    DoubleLearningRule create(ModelConfig config, RuleOptions options, DoubleKernels kernels);
  }

  /**
   * One registered rule.
   *
   * @param id the name on the command line and in study configs
   * @param description one line on what the rule computes
   * @param family how its update relates to the true gradient
   * @param factory makes it
   */
  public record Entry(String id, String description, RuleFamily family, Factory factory) {}

  /** Every rule, in display order. */
  public static final List<Entry> ALL = List.of(
      new Entry("bptt", "backpropagation through time: the exact gradient", RuleFamily.EXACT,
          (c, o, k) -> new DoubleBptt(c, k)),
      new Entry("tbptt", "BPTT truncated to a window of k steps (--window)", RuleFamily.EXACT,
          (c, o, k) -> new DoubleTruncatedBptt(c, o.window(), k)),
      new Entry("rtrl", "real-time recurrent learning: the exact gradient, forward in time",
          RuleFamily.EXACT, (c, o, k) -> new DoubleRtrl(c, k)),
      new Entry("uoro", "unbiased online recurrent optimization: rank-1 RTRL estimate",
          RuleFamily.UNBIASED_ESTIMATE, (c, o, k) -> new DoubleUoro(c, o.feedbackSeed(), k)),
      new Entry("kf-rtrl", "Kronecker-factored RTRL: unbiased Kronecker-sum estimate",
          RuleFamily.UNBIASED_ESTIMATE, (c, o, k) -> new DoubleKfRtrl(c, o.feedbackSeed(), k)),
      new Entry("r-kf-rtrl", "reverse KF-RTRL (Marschall 2020): unbiased Kronecker estimate",
          RuleFamily.UNBIASED_ESTIMATE,
          (c, o, k) -> new DoubleReverseKfRtrl(c, o.feedbackSeed(), k)),
      new Entry("snap-1", "SnAp-1: RTRL kept on the one-step sparsity pattern (biased)",
          RuleFamily.APPROXIMATE, (c, o, k) -> new DoubleSnap(c, 1, k)),
      new Entry("snap-2", "SnAp-2: RTRL kept on the two-step sparsity pattern (biased)",
          RuleFamily.APPROXIMATE, (c, o, k) -> new DoubleSnap(c, 2, k)),
      new Entry("eprop", "e-prop: eligibility traces, learning signal through B = W_out'",
          RuleFamily.APPROXIMATE, (c, o, k) -> new DoubleEprop(c, Feedback.SYMMETRIC, k)),
      new Entry("eprop-random", "e-prop with a fixed random feedback matrix B",
          RuleFamily.APPROXIMATE, (c, o, k) -> DoubleEprop.random(c, o.feedbackSeed(), k)),
      new Entry("rflo", "random-feedback local online learning (Murray 2019)",
          RuleFamily.APPROXIMATE,
          (c, o, k) -> new DoubleRflo(c, DoubleRflo.murray(c, o.feedbackSeed()), k)),
      new Entry("mdgl",
          "multidigraph learning: e-prop plus one step of credit between neurons via W_rec",
          RuleFamily.APPROXIMATE, (c, o, k) -> new DoubleMdgl(c, false, k)),
      new Entry("mdgl-celltype", "MDGL with cell-type block means in place of W_rec",
          RuleFamily.APPROXIMATE, (c, o, k) -> new DoubleMdgl(c, true, k)),
      new Entry("modprop", "ModProp: cell-type modulatory paths of every length, f' -> mu",
          RuleFamily.APPROXIMATE,
          (c, o, k) -> new DoubleModProp(c, o.mu(), o.muPlacement(), Feedback.SYMMETRIC, k)));

  /** The ids of {@link #ALL}, comma-separated: what {@link #create} accepts. */
  public static final String NAMES = String.join(", ", ids());

  private DoubleRules() {}

  /** The rule ids, in display order. */
  public static List<String> ids() {
    return ALL.stream().map(Entry::id).toList();
  }

  /** The ids of the rules of {@code family}, in display order. */
  public static List<String> ids(RuleFamily family) {
    return ALL.stream().filter(e -> e.family() == family).map(Entry::id).toList();
  }

  /**
   * The rule {@code id}.
   *
   * @throws IllegalArgumentException "unknown rule 'ID' (expected one of ...)"
   */
  public static Entry entry(String id) {
    for (Entry e : ALL) {
      if (e.id().equals(id)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown rule '" + id + "' (expected one of " + NAMES
        + ")");
  }

  /** The family of rule {@code id} (unknown ids: as {@link #entry}). */
  public static RuleFamily family(String id) {
    return entry(id).family();
  }

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
    return entry(id).factory().create(config, options, kernels);
  }
}
