package org.tca.rules.learning;

import org.tca.numerics.random.RandomStream;

/**
 * The feedback matrix B (N x N_out) that turns the readout error into a learning signal,
 * L_t = B dJ/dy_t:
 *
 * <ul>
 *   <li>symmetric: B = W_out' (the current readout weights, so it follows them through training);
 *   <li>random: a fixed matrix B_pk = sd * g_pk, p = 0..N-1, k = 0..N_out-1, where the g_pk are
 *       iid N(0, 1) drawn in row-major order (p outer, k inner) from
 *       {@code new RandomStream(seed).nextGaussian()}, computed in double and rounded once to the
 *       working precision (so the f32 matrix is the rounded f64 one). It is drawn when the rule
 *       is made and never changes.
 * </ul>
 *
 * The rules pick sd: e-prop random uses sd = 1/sqrt(N) (Bellec et al.'s B ~ N(0, 1/N)), RFLO
 * sd = 1/sqrt(N_out) (Murray's B ~ N(0, 1/N_out)).
 */
public record Feedback(boolean isSymmetric, long seed, double sd) {

  /** B = W_out'. */
  public static final Feedback SYMMETRIC = new Feedback(true, 0, 0);

  /** Validates sd for a random matrix. */
  public Feedback {
    if (!isSymmetric && !(sd > 0 && Double.isFinite(sd))) {
      throw new IllegalArgumentException("feedback sd must be > 0 and finite, got " + sd);
    }
  }

  /** A fixed random B with entries sd * N(0, 1) from the seed. */
  public static Feedback random(long seed, double sd) {
    return new Feedback(false, seed, sd);
  }

  /** "symmetric" or "random". */
  public String kind() {
    return isSymmetric ? "symmetric" : "random";
  }

  /** The random matrix B, N x N_out row-major, in double (see the class comment). */
  public double[] draw(int n, int outputs) {
    if (isSymmetric) {
      throw new IllegalStateException("symmetric feedback has no fixed matrix");
    }
    RandomStream r = new RandomStream(seed);
    double[] b = new double[n * outputs];
    for (int i = 0; i < b.length; i++) {
      b[i] = sd * r.nextGaussian();
    }
    return b;
  }
}
