package org.tca.rules.learning;

/**
 * The settings a rule may take when made by name ({@link FloatRules#create}):
 *
 * <ul>
 *   <li>{@code window}: the truncation window k of tbptt (k &gt;= 1; ignored by the others);
 *   <li>{@code feedbackSeed}: the seed of the fixed random feedback matrix B of eprop-random and
 *       rflo (see {@link Feedback}); default {@value #DEFAULT_FEEDBACK_SEED};
 *   <li>{@code mu}: ModProp's constant stand-in for f' on the non-local path (default 0.25), at
 *       every later neuron; the updated neuron keeps its exact f' ({@link FloatModProp}).
 * </ul>
 */
public record RuleOptions(int window, long feedbackSeed, double mu) {

  /** Default seed of random feedback matrices. */
  public static final long DEFAULT_FEEDBACK_SEED = 1L;

  /** Default ModProp mu. */
  public static final double DEFAULT_MU = 0.25;

  /** Validates mu (finite). */
  public RuleOptions {
    if (!Double.isFinite(mu)) {
      throw new IllegalArgumentException("mu must be finite, got " + mu);
    }
  }

  /** window 1, the default seed and mu. */
  public static RuleOptions defaults() {
    return new RuleOptions(1, DEFAULT_FEEDBACK_SEED, DEFAULT_MU);
  }

  /** The same options with another window. */
  public RuleOptions withWindow(int k) {
    return new RuleOptions(k, feedbackSeed, mu);
  }

  /** The same options with another feedback seed. */
  public RuleOptions withFeedbackSeed(long seed) {
    return new RuleOptions(window, seed, mu);
  }

  /** The same options with another mu. */
  public RuleOptions withMu(double m) {
    return new RuleOptions(window, feedbackSeed, m);
  }
}
