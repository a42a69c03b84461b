package org.tca.rules.learning;

/**
 * The settings a rule may take when made by name ({@link FloatRules#create}):
 *
 * <ul>
 *   <li>{@code window}: the truncation window k of tbptt (k &gt;= 1; ignored by the others);
 *   <li>{@code feedbackSeed}: the seed of the fixed random feedback matrix B of eprop-random and
 *       rflo (see {@link Feedback}), and the seed of the random signs of uoro, kf-rtrl and r-kf-rtrl;
 *       default {@value #DEFAULT_FEEDBACK_SEED};
 *   <li>{@code mu}: ModProp's constant stand-in for f' on the non-local path (default 0.25);
 *   <li>{@code muPlacement}: where mu sits ({@link MuPlacement}): at every later neuron, the
 *       updated neuron keeping its exact f' (receiver, the default), or at every neuron that
 *       passes credit on, the readout's keeping its exact f' (sender, the authors' code).
 * </ul>
 */
public record RuleOptions(int window, long feedbackSeed, double mu, MuPlacement muPlacement) {

  /** Default seed of random feedback matrices. */
  public static final long DEFAULT_FEEDBACK_SEED = 1L;

  /** Default ModProp mu. */
  public static final double DEFAULT_MU = 0.25;

  /** Validates mu (finite) and the placement (not null). */
  public RuleOptions {
    if (!Double.isFinite(mu)) {
      throw new IllegalArgumentException("mu must be finite, got " + mu);
    }
    java.util.Objects.requireNonNull(muPlacement, "muPlacement");
  }

  /** window 1, the default seed and mu, mu at the receiver. */
  public static RuleOptions defaults() {
    return new RuleOptions(1, DEFAULT_FEEDBACK_SEED, DEFAULT_MU, MuPlacement.RECEIVER);
  }

  /** The same options with another window. */
  public RuleOptions withWindow(int k) {
    return new RuleOptions(k, feedbackSeed, mu, muPlacement);
  }

  /** The same options with another feedback seed. */
  public RuleOptions withFeedbackSeed(long seed) {
    return new RuleOptions(window, seed, mu, muPlacement);
  }

  /** The same options with another mu. */
  public RuleOptions withMu(double m) {
    return new RuleOptions(window, feedbackSeed, m, muPlacement);
  }

  /** The same options with ModProp's mu placed elsewhere. */
  public RuleOptions withMuPlacement(MuPlacement placement) {
    return new RuleOptions(window, feedbackSeed, mu, placement);
  }
}
