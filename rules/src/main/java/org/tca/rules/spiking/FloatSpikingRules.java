package org.tca.rules.spiking;

import java.util.List;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.Feedback;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.RuleFamily;
import org.tca.rules.learning.RuleOptions;

/**
 * The learning rules for spiking networks ({@link SpikingConfig}), one {@link Entry} each, under
 * the ids of their rate-cell counterparts ({@code FloatRules}): a rule made for a
 * {@code ModelConfig} cannot take a spiking config, so spiking networks have this registry of
 * their own. Every rule uses the pseudo-derivative psi in place of H'.
 *
 * <ul>
 *   <li>exact: "bptt" ({@link FloatSpikingGradient#bptt}, offline), "tbptt" (window k =
 *       {@link RuleOptions#window}, {@link FloatSpikingOnlineTruncatedBptt}, offline and
 *       online), "rtrl" ({@link FloatSpikingRtrl}, small networks: O(N^2 P) per step, offline
 *       and online);
 *   <li>e-prop: "eprop" (B = W_out'), "eprop-random" (fixed B ~ N(0, 1/N) from
 *       {@link RuleOptions#feedbackSeed}), offline and online ({@link FloatSpikingEprop});
 *   <li>"mdgl" (Wt = W_rec), "mdgl-celltype" (Wt = cell-type block means), B = W_out',
 *       offline and online ({@link FloatSpikingOnlineMdgl}).
 * </ul>
 *
 * Each rule's equations, as implemented: docs/science.md, section "Spiking learning rules".
 */
public final class FloatSpikingRules {

  /** Makes a rule for a spiking network, with options and kernels. */
  @FunctionalInterface
  public interface Factory {
    /** The rule for {@code config}. */
    FloatLearningRule create(SpikingConfig config, RuleOptions options, FloatKernels kernels);
  }

  /**
   * One registered spiking rule.
   *
   * @param id the name on the command line and in study configs (as for the rate cells)
   * @param description one line on what the rule computes
   * @param family how its update relates to the true (surrogate) gradient
   * @param factory makes it
   */
  public record Entry(String id, String description, RuleFamily family, Factory factory) {}

  /** Every spiking rule, in display order. */
  public static final List<Entry> ALL = List.of(
      new Entry("bptt", "BPTT through the pseudo-derivative: the exact surrogate gradient",
          RuleFamily.EXACT, (c, o, k) -> FloatSpikingGradient.bptt(c, k)),
      new Entry("tbptt", "BPTT truncated to a window of k steps (--window)", RuleFamily.EXACT,
          (c, o, k) -> new FloatSpikingOnlineTruncatedBptt(c, o.window(), k)),
      new Entry("rtrl", "RTRL through the pseudo-derivative (small networks)", RuleFamily.EXACT,
          (c, o, k) -> new FloatSpikingRtrl(c, k)),
      new Entry("eprop", "e-prop: eligibility traces, learning signal through B = W_out'",
          RuleFamily.APPROXIMATE, (c, o, k) -> new FloatSpikingEprop(c, Feedback.SYMMETRIC, k)),
      new Entry("eprop-random", "e-prop with a fixed random feedback matrix B",
          RuleFamily.APPROXIMATE, (c, o, k) -> FloatSpikingEprop.random(c, o.feedbackSeed(), k)),
      new Entry("mdgl", "MDGL: e-prop plus one step of credit between neurons via W_rec",
          RuleFamily.APPROXIMATE, (c, o, k) -> new FloatSpikingOnlineMdgl(c, false, k)),
      new Entry("mdgl-celltype", "MDGL with cell-type block means in place of W_rec",
          RuleFamily.APPROXIMATE, (c, o, k) -> new FloatSpikingOnlineMdgl(c, true, k)));

  /** The ids of {@link #ALL}, comma-separated: what {@link #create} accepts. */
  public static final String NAMES = String.join(", ", ids());

  private FloatSpikingRules() {}

  /** The rule ids, in display order. */
  public static List<String> ids() {
    return ALL.stream().map(Entry::id).toList();
  }

  /**
   * The spiking rule {@code id}.
   *
   * @throws IllegalArgumentException "rule 'ID' does not run on spiking cells (spiking rules: ...)"
   */
  public static Entry entry(String id) {
    for (Entry e : ALL) {
      if (e.id().equals(id)) {
        return e;
      }
    }
    throw new IllegalArgumentException("rule '" + id + "' does not run on spiking cells"
        + " (spiking rules: " + NAMES + ")");
  }

  /** A rule with the given options, using the kernels this JVM picked. */
  public static FloatLearningRule create(String id, SpikingConfig config, RuleOptions options) {
    return create(id, config, options, Kernels.f32());
  }

  /** A rule with the given options and kernels. */
  public static FloatLearningRule create(String id, SpikingConfig config, RuleOptions options,
      FloatKernels kernels) {
    return entry(id).factory().create(config, options, kernels);
  }
}
