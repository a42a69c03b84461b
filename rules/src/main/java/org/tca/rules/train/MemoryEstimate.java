package org.tca.rules.train;

import java.util.Locale;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.spiking.SpikingRule;
import org.tca.rules.task.Dataset;
import org.tca.rules.task.Task;

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
 *   evaluation   V = min(K, 4, max_i ceil(n_i / E)) seats ({@link EvaluationSeats}), each a
 *                stored forward pass of max_i E_i trials, E_i = min(E, n_i) (n_i the trials of
 *                evaluation i: train, test, shifted test counted as test; bounded by its set
 *                when the task is given; not known: V = min(K, 4), E_i = E), and batches of
 *                E_i + (n_i mod E_i) trials per evaluation (2 E unknown), T (N_in + N_out) + 1
 *                values a trial and T a batch
 *     rate       2 (T + 1) E N + T E N_out + N^2
 *     spiking    3 (T + 1) E N + T E (N + N_in + N_out + 1) + 8 E N + (T + 1) E + T + 2
 *                + N_in N + N^2                              (floats and ints)
 * </pre>
 *
 * This bounds what the rules' workspaces and the evaluation seats hold (their {@code
 * sizeInBytes()}) from above, by at most the terms a rule does not use (T is the training set's;
 * a shifted test set with longer sequences is under-counted); the curvature probes are not
 * counted. Given the task, the estimate also counts its datasets ({@link Dataset#bytes()}: the
 * stored inputs, labels and targets of every split, the shifted test set, made later, counted
 * as the test set; a set generated on demand holds none), once: the runs of a study share them
 * ({@link #times}). A spiking rule reports its workspace itself ({@link
 * SpikingRule#workspaceValues}, next to the code that allocates it, exact): {@link
 * #of(FloatLearningRule, TrainerConfig, int)}.
 *
 * @param parameterBytes parameters, gradient, optimizer state, shard gradients and batches
 * @param workspaceBytes the rule's workspaces over all workers
 * @param evaluationBytes the evaluation seats (forward passes and batches)
 * @param datasetBytes the task's datasets (0 when the task is not given)
 */
public record MemoryEstimate(long parameterBytes, long workspaceBytes, long evaluationBytes,
    long datasetBytes) {

  private static final double GIB = 1024.0 * 1024 * 1024;

  /** The estimate for a run of {@code rule} with this config over sequences of {@code steps}. */
  public static MemoryEstimate of(ModelConfig m, String rule, TrainerConfig c, int steps) {
    return of(m, c, steps, null, false, (b, online) -> workspaceFloats(m, rule, b, steps, online));
  }

  /** As above on {@code task}: its T, and evaluations no larger than its sets. */
  public static MemoryEstimate of(ModelConfig m, String rule, TrainerConfig c, Task task) {
    int steps = task.steps();
    return of(m, c, steps, task, false, (b, online) -> workspaceFloats(m, rule, b, steps, online));
  }

  /**
   * The estimate for a run of {@code rule} as made for the run (a spiking rule with its own
   * settings, such as the tbptt window) with this config over sequences of {@code steps}.
   */
  public static MemoryEstimate of(FloatLearningRule rule, TrainerConfig c, int steps) {
    return rule instanceof SpikingRule s
        ? of(rule.config(), c, steps, null, true,
            (b, online) -> s.workspaceValues(b, steps, online))
        : of(rule.config(), rule.id(), c, steps);
  }

  /** As above on {@code task}: its T, and evaluations no larger than its sets. */
  public static MemoryEstimate of(FloatLearningRule rule, TrainerConfig c, Task task) {
    int steps = task.steps();
    return rule instanceof SpikingRule s
        ? of(rule.config(), c, steps, task, true,
            (b, online) -> s.workspaceValues(b, steps, online))
        : of(rule.config(), rule.id(), c, task);
  }

  /** Floats of one workspace for b samples, online or not. */
  private interface WorkspaceFloats {
    long of(long b, boolean online);
  }

  private static MemoryEstimate of(ModelConfig m, TrainerConfig c, int steps, Task task,
      boolean spiking, WorkspaceFloats workspace) {
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
    long train = evaluated(c.trainEvalSize(), task == null ? 0 : task.train().size());
    long test = evaluated(c.testEvalSize(), task == null ? 0 : task.test().size());
    return new MemoryEstimate(Float.BYTES * floats,
        Float.BYTES * workers * workspace.of(b, c.online()),
        evaluationBytes(m, c, steps, train, test, spiking),
        task == null ? 0 : datasetBytes(task, c.evalShifted()));
  }

  /**
   * The bytes {@code task}'s datasets hold: train, validation, test, and the shifted test set
   * (counted as the test set, without making it) when {@code shifted} and the task has one.
   */
  public static long datasetBytes(Task task, boolean shifted) {
    long test = task.test().bytes();
    return task.train().bytes() + task.validation().map(Dataset::bytes).orElse(0L) + test
        + (shifted && task.hasShiftedTest() ? test : 0);
  }

  /**
   * The evaluation seats' bytes (see the class comment) for evaluations of n_train and n_test
   * trials (0: not known; the shifted test set counted as the test set).
   */
  static long evaluationBytes(ModelConfig m, TrainerConfig c, long steps, long train, long test,
      boolean spiking) {
    long e = c.evalBatch();
    long chunks = train == 0 || test == 0 ? Evaluator.MAX_SEATS
        : Math.max((train + e - 1) / e, (test + e - 1) / e);
    long seats = Math.min(Math.min(c.threads(), Evaluator.MAX_SEATS), chunks);
    long trials = batchTrials(e, train) + batchTrials(e, test) * (c.evalShifted() ? 2 : 1);
    long batches = trials * (steps * (m.inputs() + m.outputs()) + 1) + 6 * steps;
    long largest = Math.max(chunkOf(e, train), chunkOf(e, test));
    return 4L * seats * (passValues(m, largest, steps, spiking) + batches);
  }

  /** E_i = min(E, n_i), E when n_i is not known (0). */
  private static long chunkOf(long e, long n) {
    return n == 0 ? e : Math.min(e, n);
  }

  /** Trials of the (at most two) batch sizes of an evaluation of n trials: E_i + n mod E_i. */
  private static long batchTrials(long e, long n) {
    return n == 0 ? 2 * e : chunkOf(e, n) + n % chunkOf(e, n);
  }

  /**
   * n_i: the configured size, or the set's size when that is 0 (the whole set) or smaller; 0 when
   * neither is known.
   */
  private static long evaluated(int wanted, int setSize) {
    return wanted == 0 ? setSize : setSize == 0 ? wanted : Math.min(wanted, setSize);
  }

  /** Floats and ints of one stored forward pass of E trials (see the class comment). */
  static long passValues(ModelConfig m, long e, long steps, boolean spiking) {
    long n = m.hidden();
    long nIn = m.inputs();
    long nOut = m.outputs();
    return spiking
        ? 3 * (steps + 1) * e * n + steps * e * (n + nIn + nOut + 1) + 8 * e * n
            + (steps + 1) * e + steps + 2 + nIn * n + n * n
        : 2 * (steps + 1) * e * n + steps * e * nOut + n * n;
  }

  /**
   * E_i = min(evalBatch, n_i): n_i is the configured size, or the set's size when that is 0 (the
   * whole set) or smaller (0: not known, evalBatch).
   */
  private static long chunk(int evalBatch, int wanted, int setSize) {
    int n = wanted == 0 ? setSize : setSize == 0 ? wanted : Math.min(wanted, setSize);
    return n == 0 ? evalBatch : Math.min(evalBatch, n);
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

  /** The estimate of {@code runs} such runs at once, on the same datasets (counted once). */
  public MemoryEstimate times(int runs) {
    return new MemoryEstimate(runs * parameterBytes, runs * workspaceBytes,
        runs * evaluationBytes, datasetBytes);
  }

  /** This estimate with {@code bytes} of datasets instead (e.g. those of all a study's tasks). */
  public MemoryEstimate withDatasetBytes(long bytes) {
    return new MemoryEstimate(parameterBytes, workspaceBytes, evaluationBytes, bytes);
  }

  /** All the bytes. */
  public long totalBytes() {
    return parameterBytes + workspaceBytes + evaluationBytes + datasetBytes;
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
          + size(workspaceBytes) + ", evaluation " + size(evaluationBytes) + ", datasets "
          + size(datasetBytes) + ") but the JVM may use at most " + size(available)
          + ": give it more memory with TCA_JAVA_OPTS=-Xmx" + gib + "g, or use a smaller"
          + " network, batch, sequence or stored dataset");
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
