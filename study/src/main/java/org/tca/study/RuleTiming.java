package org.tca.study;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.task.Task;
import org.tca.rules.train.Batches;

/**
 * A machine figure, not part of any reproducible record: training steps per second of a rule on a
 * task, one thread. A step is one {@link FloatLearningRule#gradient} call on a minibatch of the
 * study's B trials (the first B of the training set), at the seed-0 initial parameters:
 *
 * <pre>
 *   steps/s = calls / (CPU time of this thread over those calls)
 * </pre>
 *
 * after a warm-up of the same length, timed over at least {@code seconds} of thread CPU time
 * (ThreadMXBean) so that other processes on the machine do not count.
 */
public final class RuleTiming {

  private RuleTiming() {}

  /** Steps per second of {@code rule} on {@code task} under {@code spec}; NaN without a CPU clock. */
  public static double stepsPerSecond(StudySpec spec, Task task, String rule, double seconds) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (!mx.isCurrentThreadCpuTimeSupported()) {
      return Double.NaN;
    }
    FloatLearningRule r = FloatRules.create(rule, spec.model(task),
        RuleOptions.defaults().withWindow(spec.window()), spec.floatKernels());
    FloatBatch batch = Batches.first(task.train(), Math.min(spec.batch(), task.train().size()));
    FloatParameters p = FloatParameters.initialize(r.config(), 0);
    FloatWorkspace ws = r.newWorkspace(batch.size(), batch.steps());
    float[] grad = new float[p.data().length];
    long budget = (long) (seconds * 1e9);
    time(mx, r, p, batch, ws, grad, budget); // warm-up
    long[] calls = time(mx, r, p, batch, ws, grad, budget);
    return calls[0] / (calls[1] * 1e-9);
  }

  /** {calls, CPU nanoseconds}: calls until at least {@code budget} ns of thread CPU time. */
  private static long[] time(ThreadMXBean mx, FloatLearningRule r, FloatParameters p,
      FloatBatch batch, FloatWorkspace ws, float[] grad, long budget) {
    long t0 = mx.getCurrentThreadCpuTime();
    long calls = 0;
    long spent;
    do {
      r.gradient(p, batch, ws, grad);
      calls++;
      spent = mx.getCurrentThreadCpuTime() - t0;
    } while (spent < budget);
    return new long[] {calls, Math.max(1, spent)};
  }
}
