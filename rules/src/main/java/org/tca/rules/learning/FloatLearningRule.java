package org.tca.rules.learning;

import java.util.Map;
import org.tca.numerics.storage.FloatMatrix;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.FloatOptimizer;

/**
 * A temporal credit assignment rule: given parameters, a batch and a workspace, it writes its
 * update direction (the exact gradient dJ/dtheta for the exact rules, an estimate for the others)
 * for every block into a flat array laid out like the parameters. Frozen blocks and disallowed
 * W_rec entries get 0; the L2 term l2 * W of J is included.
 *
 * <p>Offline mode ({@link #gradient}): one estimate from a minibatch of whole sequences. Online mode
 * ({@link #beginOnline}, then {@link #stepOnline} for t = 0, 1, ..., T-1 with B = 1): one estimate
 * per time step, g_t = d(w_t l_t)/dtheta (as the rule estimates it) + w_t l2 W with
 * w_t = m_t / sum_s m_s, so that with weights held fixed sum_t g_t equals the offline estimate.
 * Rules that need the future (BPTT) have no online mode.
 */
public interface FloatLearningRule {

  /** Short name used on command lines and in files, e.g. "bptt", "tbptt", "rtrl". */
  String id();

  /** The model config this rule was made for. */
  ModelConfig config();

  /** A workspace for batches of at most {@code batchSize} samples and {@code steps} steps. */
  FloatWorkspace newWorkspace(int batchSize, int steps);

  /**
   * Offline: writes the rule's estimate of dJ/dtheta for the batch into {@code grad} (overwritten,
   * length = parameter count) and returns J (data loss + L2 penalty) at the current parameters.
   */
  double gradient(FloatParameters p, FloatBatch batch, FloatWorkspace ws, float[] grad);

  /**
   * Bytes of learning state per sample for sequences of {@code steps} steps: what the rule must
   * carry through a sequence, per sample, to produce its update, beyond the parameters, the
   * network's current state (pre_t, z_t) and per-step scratch. It is the memory figure that
   * separates the rules (tca leaderboard's {@code state_bytes_per_sample}), in this precision
   * (Float.BYTES per value):
   *
   * <pre>
   *   BPTT             the stored forward pass: 2 (T + 1) N + T N_out values
   *   truncated BPTT   the last k + 1 states (online ring): 2 (min(k, T) + 1) N
   *   RTRL             the influence matrix M_t: N P,  P = |W_in| + |W_rec| + |b_rec|
   *   UORO             s~ and theta~: N + P;   KF-RTRL: A (N x N) and u (N_in + N + 1)
   *   e-prop, RFLO...  factored traces qbar: N_in + N + 1; full rate-leak trace: N (N_in + N + 1)
   * </pre>
   *
   * Contract for every rule (there is no default, so a new rule must answer): count each buffer
   * that carries information from step t to step t + 1 (or from the forward to the backward pass)
   * once, not its double-buffered successor or scratch; it must not depend on B; where the rule's
   * workspace holds that state (influence matrix, factors, traces, ring, trajectory), the count
   * must equal those arrays' lengths, which a test in LearningStateBytesTest checks.
   */
  long stateBytesPerSample(int steps);

  /**
   * The rule's settings, for provenance files such as {@code model.json} (e.g. the truncation
   * window, the feedback kind and its seed): values are strings, numbers or booleans.
   */
  default Map<String, Object> settings() {
    return Map.of();
  }

  /**
   * Every fixed matrix the rule uses that is not a parameter (e.g. a random feedback matrix B or a
   * cell-type assignment), by file stem ("B_feedback", ...), so users can check our numbers.
   */
  default Map<String, FloatMatrix> auxiliaryMatrices() {
    return Map.of();
  }

  /** True when the rule has an online mode. */
  default boolean supportsOnline() {
    return false;
  }

  /** Online: starts a new sequence (state and traces to zero). */
  default void beginOnline(FloatParameters p, FloatWorkspace ws) {
    throw new UnsupportedOperationException(id() + " has no online mode");
  }

  /**
   * Online: advances one time step t of a B = 1 batch (steps must come in order 0, 1, ...),
   * writes this step's estimate g_t into {@code grad} (overwritten) and returns w_t l_t.
   */
  default double stepOnline(FloatParameters p, FloatBatch batch, int t, FloatWorkspace ws,
      float[] grad) {
    throw new UnsupportedOperationException(id() + " has no online mode");
  }

  /**
   * Online, the first half of step t for a caller that needs the prediction before the target
   * (the embedding service): advances the state to step t (x_t from the batch), writes y_t into
   * {@code y} (N_out) and returns true; the {@link #stepOnline} of step t that follows, with the
   * parameters and x_t unchanged, then takes that state instead of computing it again (same
   * bits). A rule that does not split its step returns false and does nothing (the default).
   */
  default boolean predictOnline(FloatParameters p, FloatBatch batch, int t, FloatWorkspace ws,
      float[] y) {
    return false;
  }

  /**
   * Online with the update: {@link #stepOnline} and then, when w_t l_t is finite, one optimizer
   * step theta <- update(theta, g_t) at rate eta ({@code optimizer.step(p.data(), grad, 1,
   * eta)}; the caller projects). Returns w_t l_t. A rule may fuse the two: the parameters and
   * the optimizer's state then end bit for bit as with the two calls, and {@code grad} holds
   * g_t only outside the blocks it fused ({@link FloatLocalRule}: W_in and W_rec, applied a few
   * rows at a time as they are emitted).
   */
  default double stepOnline(FloatParameters p, FloatBatch batch, int t, FloatWorkspace ws,
      float[] grad, FloatOptimizer optimizer, double learningRate) {
    double l = stepOnline(p, batch, t, ws, grad);
    if (Double.isFinite(l)) {
      optimizer.step(p.data(), grad, 1.0, learningRate);
    }
    return l;
  }
}
