package org.tca.rules.train;

import java.util.Locale;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.spiking.FloatSpikingGradient;
import org.tca.rules.spiking.FloatSpikingRules;
import org.tca.rules.spiking.SpikingConfig;

/**
 * The bytes of array storage a training run allocates up front, from its sizes alone, so that a
 * run too large for the heap is refused before it allocates anything. With N hidden units, N_in
 * inputs, N_out outputs, P parameters (P_r of them in the recurrence: W_in, W_rec, b_rec),
 * batch B cut into S shards of at most b = ceil(B / S) samples on W = min(K, S) workers, T steps,
 * and R = (T + 1) b N + T b N_out + N^2 floats of a stored forward pass, in 4-byte floats:
 *
 * <pre>
 *   parameters   P + P (gradient) + {0 sgd, P momentum/nesterov, 2P adam} + S P (shard gradients,
 *                S > 1) + 2 T B (N_in + N_out) (the minibatch and its shards)
 *   workspaces   W times, with s = 16 N + 4 N_out (the step vectors):
 *     bptt, tbptt  R + T b (N + N_out) + 4 b N + N_in N + s    (+ 2 (T + 1) N online)
 *     rtrl         2 N P_r + N^2 + s                           (the influence matrices)
 *     the others   R + T b (2 N + N_out) + max(T b, N) + 4 b N + N_in N + N^2 + T + s,
 *                  online 5 P_r + 16 (N_in + N) + s            (the traces, a chunk of rows)
 * </pre>
 *
 * This bounds what the rules' workspaces hold (their {@code sizeInBytes()}) from above, by at
 * most the terms a rule does not use; the evaluation passes and curvature probes are not
 * counted. Spiking networks store more per step (spikes, pseudo-derivatives, filtered spikes and
 * the event lists): {@link #of(SpikingConfig, String, TrainerConfig, int)}.
 *
 * @param parameterBytes parameters, gradient, optimizer state, shard gradients and batches
 * @param workspaceBytes the rule's workspaces over all workers
 */
public record MemoryEstimate(long parameterBytes, long workspaceBytes) {

  private static final double GIB = 1024.0 * 1024 * 1024;

  /** The estimate for a run of {@code rule} with this config over sequences of {@code steps}. */
  public static MemoryEstimate of(ModelConfig m, String rule, TrainerConfig c, int steps) {
    return of(m, c, steps, (b, online) -> workspaceFloats(m, rule, b, steps, online));
  }

  /**
   * The estimate for a run of spiking rule {@code rule} ({@code FloatSpikingRules}) on network
   * {@code s} with this config over sequences of {@code steps}.
   */
  public static MemoryEstimate of(SpikingConfig s, String rule, TrainerConfig c, int steps) {
    return of(s.base(), c, steps, (b, online) -> spikingWorkspaceFloats(s, rule, b, steps,
        online));
  }

  /** Floats of one workspace for b samples, online or not. */
  private interface WorkspaceFloats {
    long of(long b, boolean online);
  }

  private static MemoryEstimate of(ModelConfig m, TrainerConfig c, int steps,
      WorkspaceFloats workspace) {
    long p = m.parameterCount();
    int batch = c.online() ? 1 : c.batchSize();
    int shards = c.online() ? 1 : Math.min(c.effectiveShards(), batch);
    int workers = Math.min(c.threads(), shards);
    int b = (batch + shards - 1) / shards;
    long state = switch (c.optimizer().kind()) {
      case "adam" -> 2 * p;
      case "sgd" -> 0;
      default -> p;
    };
    long floats = 2 * p + state + (shards > 1 ? shards * p : 0)
        + 2L * steps * batch * (m.inputs() + m.outputs());
    return new MemoryEstimate(Float.BYTES * floats,
        Float.BYTES * workers * workspace.of(b, c.online()));
  }

  /** Floats (and ints) held by one workspace of {@code rule} for b samples of T steps. */
  static long workspaceFloats(ModelConfig m, String rule, long b, long steps, boolean online) {
    long n = m.hidden();
    long nIn = m.inputs();
    long nOut = m.outputs();
    long recurrent = m.parameterCount() - nOut * n - nOut;
    long small = 16 * n + 4 * nOut;
    long trajectory = 2 * (steps + 1) * b * n + steps * b * nOut + n * n;
    return switch (rule) {
      case "bptt", "tbptt" -> trajectory + steps * b * (n + nOut) + 4 * b * n + nIn * n + small
          + (online ? 2 * (steps + 1) * n : 0);
      case "rtrl" -> 2 * n * recurrent + n * n + small;
      // SnAp-2's dense worst case: RTRL's influence, the pattern's N^2 ints, the restricted
      // Jacobian, and a first-sized scratch of N (N_in + N + 1)
      case "snap-2" -> (2 * n + 1) * recurrent + 2 * n * n + small;
      default -> small + (online ? 5 * recurrent + 16 * (nIn + n) : trajectory + steps * b * (2 * n + nOut)
          + Math.max(steps * b, n) + 4 * b * n + nIn * n + n * n + steps);
    };
  }

  /**
   * Floats (and ints) held by one workspace of spiking rule {@code rule} for b samples of T
   * steps. The stored forward pass of the offline rules is b times spiking BPTT's
   * {@link FloatLearningRule#stateBytesPerSample} (so the estimate follows what that pass
   * stores); the learning state of the forward-mode rules (online e-prop's traces, RTRL's
   * influence matrices) is their own {@code stateBytesPerSample}. With one sample's stepped state
   * S_1 = N_in N + N^2 + 11 N + 2 N_out:
   *
   * <pre>
   *   offline    b state_bptt(T) + T b (N + N_out) + 12 b N + b N_out + 2 (N_in N + N^2) + T
   *              + N + 2     (state_bptt holds the event lists; du, dy, the step, carry and
   *                           weight buffers)
   *              + N_p N + b (N_p - N) for BPTT (its W_rec copy and carry rows padded to
 *              N_p <= 16 ceil(N / 16) floats, a multiple of the vector length)
 *              + 3 b N + 6 for the sweep rules (tbptt, mdgl), + the online part for e-prop
   *              and the sweep rules (their workspaces hold it in both modes)
   *   online     state(T) + S_1 + N                       (e-prop, tbptt's window, MDGL's traces)
   *              + 2 N_out N + N + 6 for MDGL, 4 N for tbptt, online or not (step vectors)
   *   rtrl       state + N P_r + S_1 + N                                 (Dz_t, N x P_r)
   * </pre>
   */
  static long spikingWorkspaceFloats(SpikingConfig s, String rule, long b, long steps,
      boolean online) {
    long n = s.hidden();
    long nIn = s.base().inputs();
    long nOut = s.base().outputs();
    long recurrent = nIn * n + n * n;
    long sample = nIn * n + n * n + 11 * n + 2 * nOut;
    FloatKernels k = Kernels.scalarF32();
    // a window of T bounds online tbptt's ring of min(window, T) steps whatever the run's window
    long own = FloatSpikingRules.create(rule, s, RuleOptions.defaults()
        .withWindow((int) Math.max(1, steps)), k)
        .stateBytesPerSample((int) steps) / Float.BYTES;
    long stored = FloatSpikingGradient.bptt(s, k).stateBytesPerSample((int) steps) / Float.BYTES;
    long forward = own + sample + n;
    long padded = (n + 15) / 16 * 16; // BPTT's W_rec copy and carry rows, up to 512-bit vectors
    long offline = b * stored + steps * b * (n + nOut) + 12 * b * n + b * nOut + 2 * recurrent
        + steps + n + 2;
    return switch (rule) {
      case "rtrl" -> forward + n * recurrent;
      case "bptt" -> offline + padded * n + b * (padded - n);
      case "eprop", "eprop-random" -> online ? forward : offline + forward;
      // the sweep rules (tbptt, mdgl, mdgl-celltype) hold their online part in either mode
      // (step vectors: MDGL's c, u, rate and 2 x 2 type means; online tbptt's four N-vectors)
      default -> (online ? forward : offline + 3 * b * n + 6 + forward)
          + (rule.startsWith("mdgl") ? 2 * nOut * n + n + 6 : 4 * n);
    };
  }

  /** The estimate of {@code runs} such runs at once. */
  public MemoryEstimate times(int runs) {
    return new MemoryEstimate(runs * parameterBytes, runs * workspaceBytes);
  }

  /** All the bytes. */
  public long totalBytes() {
    return parameterBytes + workspaceBytes;
  }

  /**
   * Refuses {@code what} ("this run") when it will not fit in {@code available} bytes (e.g.
   * {@code Runtime.getRuntime().maxMemory()}).
   *
   * @throws IllegalArgumentException with a one-line message naming the figure and the
   *     {@code TCA_JAVA_OPTS=-Xmx...} that would fit it
   */
  public void check(String what, long available) {
    if (totalBytes() > available) {
      long gib = (long) Math.ceil(1.25 * totalBytes() / GIB) + 1;
      throw new IllegalArgumentException(what + " needs about " + size(totalBytes())
          + " (parameters and optimizer " + size(parameterBytes) + ", rule workspaces "
          + size(workspaceBytes) + ") but the JVM may use at most " + size(available)
          + ": give it more memory with TCA_JAVA_OPTS=-Xmx" + gib + "g, or use a smaller"
          + " network, batch or sequence");
    }
  }

  /** The one-line message for an OutOfMemoryError that happened anyway. */
  public static String outOfMemory(long available) {
    return "out of memory (the JVM may use at most " + size(available) + "): give it more with"
        + " TCA_JAVA_OPTS=-Xmx<size> (e.g. -Xmx" + 2 * (long) Math.ceil(available / GIB)
        + "g), or use a smaller network, batch or sequence";
  }

  /** Bytes as "1.5 GiB", or "300 MiB" below 1 GiB. */
  static String size(long bytes) {
    return bytes >= GIB ? String.format(Locale.ROOT, "%.1f GiB", bytes / GIB)
        : String.format(Locale.ROOT, "%.0f MiB", bytes / (GIB / 1024));
  }
}
