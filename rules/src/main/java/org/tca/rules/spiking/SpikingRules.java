package org.tca.rules.spiking;

import java.util.List;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.rules.learning.Feedback;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.RuleFamily;
import org.tca.rules.learning.RuleOptions;

/**
 * The learning rules that run on spiking networks, by the same ids as the rate rules
 * ({@code --rule}): one {@link Entry} each, in display order. Every rule uses the
 * pseudo-derivative psi in place of H' (equations: {@link FloatSpikingGradient}). A rule made here
 * implements {@link SpikingRule}. Adding a spiking rule is adding one entry to {@link #ALL}.
 */
public final class SpikingRules {

  /** Makes a rule for a spiking network, with options and kernels. */
  @FunctionalInterface
  public interface Factory {
    /** The rule for {@code config}. */
    FloatLearningRule create(SpikingConfig config, RuleOptions options, FloatKernels kernels);
  }

  /**
   * One registered spiking rule.
   *
   * @param id the name on the command line and in study configs (shared with the rate rule)
   * @param description one line on what the rule computes on spiking cells
   * @param family how its update relates to the surrogate gradient (BPTT through psi)
   * @param factory makes it
   */
  public record Entry(String id, String description, RuleFamily family, Factory factory) {}

  /** Every spiking rule, in display order. */
  public static final List<Entry> ALL = List.of(
      new Entry("bptt", "BPTT through the pseudo-derivative psi (the surrogate gradient)",
          RuleFamily.EXACT, (c, o, k) -> FloatSpikingGradient.bptt(c, k)),
      new Entry("eprop", "e-prop: eligibility traces (ALIF: with the adaptation trace),"
          + " learning signal through B = W_out'", RuleFamily.APPROXIMATE,
          (c, o, k) -> FloatSpikingGradient.eprop(c, Feedback.SYMMETRIC, k)),
      new Entry("eprop-random", "e-prop with a fixed random feedback matrix B ~ N(0, 1/N)",
          RuleFamily.APPROXIMATE,
          (c, o, k) -> FloatSpikingGradient.epropRandom(c, o.feedbackSeed(), k)));

  /** The ids of {@link #ALL}, comma-separated. */
  public static final String NAMES = String.join(", ", ids());

  private SpikingRules() {}

  /** The spiking rule ids, in display order. */
  public static List<String> ids() {
    return ALL.stream().map(Entry::id).toList();
  }

  /**
   * The spiking rule {@code id}.
   *
   * @throws IllegalArgumentException "rule 'ID' does not run on spiking cells (spiking rules:
   *     ...)"
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

  /** The rule {@code id} for a spiking network, with the given options and kernels. */
  public static FloatLearningRule create(String id, SpikingConfig config, RuleOptions options,
      FloatKernels kernels) {
    return entry(id).factory().create(config, options, kernels);
  }
}
