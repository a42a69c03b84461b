package org.tca.study;

import java.util.List;
import java.util.Objects;
import org.tca.rules.train.RunResult;
import org.tca.rules.train.RunStatus;
import org.tca.rules.train.TrajectoryPoint;

/**
 * The reproducible result of one study run: its identity, status and checkpoint trajectory (no
 * wall time, so an interrupted and resumed run gives an equal record). The final numbers are
 * taken from the last checkpoint:
 *
 * <pre>
 *   gap          = L_test - L_train          (mean per-sample data losses, no L2 term)
 *   accuracyGap  = acc_train - acc_test
 *   shiftedGap   = L_shifted - L_train,  shiftedAccuracyGap = acc_train - acc_shifted
 * </pre>
 *
 * and lambda_max, 2/eta, the seen-curvature c (measured at the last checkpoint only) and the
 * cosine to the true gradient from its probe metrics (NaN when absent).
 *
 * @param id the run id
 * @param task the task's id in the study
 * @param rule the learning rule
 * @param seed the run seed
 * @param setting the learning-rate setting's id
 * @param settingLabel its label
 * @param lr its base rate
 * @param iterations planned iterations
 * @param status how the run ended
 * @param iterationsDone iterations completed
 * @param divergedAt iteration of divergence, or -1
 * @param reason why it diverged or stalled, or ""
 * @param trajectory the checkpoints
 * @param targetTrainLoss the train loss the run trained to ({@link StudySpec#untilTrainLoss}),
 *     NaN when it did all its iterations regardless
 */
public record RunRecord(String id, String task, String rule, long seed, String setting,
    String settingLabel, double lr, long iterations, RunStatus status, long iterationsDone,
    long divergedAt, String reason, List<TrajectoryPoint> trajectory, double targetTrainLoss) {

  /** Copies the trajectory. */
  public RunRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(status, "status");
    trajectory = List.copyOf(trajectory);
  }

  /** A run without a target train loss. */
  public RunRecord(String id, String task, String rule, long seed, String setting,
      String settingLabel, double lr, long iterations, RunStatus status, long iterationsDone,
      long divergedAt, String reason, List<TrajectoryPoint> trajectory) {
    this(id, task, rule, seed, setting, settingLabel, lr, iterations, status, iterationsDone,
        divergedAt, reason, trajectory, Double.NaN);
  }

  /** The record of a finished trainer run that trained to {@code target} (NaN: no target). */
  public static RunRecord of(RunPlan plan, RunResult r, double target) {
    return new RunRecord(plan.id(), plan.task().id(), plan.rule(), plan.seed(),
        plan.setting().id(), plan.setting().label(), plan.setting().lr(), plan.iterations(),
        r.status(), r.iterations(), r.divergedAt(), r.reason(), r.trajectory(), target);
  }

  /** Whether the run trained to a loss ({@link #targetTrainLoss} is set). */
  public boolean hasTarget() {
    return !Double.isNaN(targetTrainLoss);
  }

  /**
   * The iteration of the first checkpoint whose train loss is at most the target (where a run
   * that trains to a loss stops), or -1 when it has no target or never reached it.
   */
  public long reachedTargetAt() {
    if (hasTarget()) {
      for (TrajectoryPoint p : trajectory) {
        if (p.trainLoss() <= targetTrainLoss) {
          return p.iteration();
        }
      }
    }
    return -1;
  }

  /** Whether the run has a target, finished ok, and stopped at its cap without reaching it. */
  public boolean missedTarget() {
    return hasTarget() && status == RunStatus.OK && reachedTargetAt() < 0;
  }

  /** Whether the run diverged. */
  public boolean diverged() {
    return status == RunStatus.DIVERGED;
  }

  /** Whether the run stalled (see {@link RunStatus#STALLED}). */
  public boolean stalled() {
    return status == RunStatus.STALLED;
  }

  /**
   * Whether it counts in means and fits: finished ok with a finite gap and, for rate cells, a
   * finite lambda_max; a spiking run ({@link #spiking}) has no curvature, so a finite gap is
   * enough (the claims that need lambda_max are not testable on spiking runs).
   */
  public boolean usable() {
    return status == RunStatus.OK && Double.isFinite(gap())
        && (spiking() || Double.isFinite(lambdaMax()));
  }

  /** Whether the run trained spiking cells: its checkpoints record a train firing rate. */
  public boolean spiking() {
    TrajectoryPoint p = last();
    return p != null && p.probes().containsKey("train_firing_rate");
  }

  /** Final mean firing rate on the evaluated training trials, spikes per step (NaN: rate cells). */
  public double trainFiringRate() {
    return probe("train_firing_rate");
  }

  /** Final mean firing rate on the evaluated test trials, spikes per step (NaN: rate cells). */
  public double testFiringRate() {
    return probe("test_firing_rate");
  }

  /** The last checkpoint, or null. */
  public TrajectoryPoint last() {
    return trajectory.isEmpty() ? null : trajectory.get(trajectory.size() - 1);
  }

  private double lastOr(java.util.function.ToDoubleFunction<TrajectoryPoint> f) {
    TrajectoryPoint p = last();
    return p == null ? Double.NaN : f.applyAsDouble(p);
  }

  private double probe(String name) {
    TrajectoryPoint p = last();
    return p == null ? Double.NaN : p.probes().getOrDefault(name, Double.NaN);
  }

  /** Final train loss. */
  public double trainLoss() {
    return lastOr(TrajectoryPoint::trainLoss);
  }

  /** Final test loss. */
  public double testLoss() {
    return lastOr(TrajectoryPoint::testLoss);
  }

  /** Final train accuracy. */
  public double trainAccuracy() {
    return lastOr(TrajectoryPoint::trainAccuracy);
  }

  /** Final test accuracy. */
  public double testAccuracy() {
    return lastOr(TrajectoryPoint::testAccuracy);
  }

  /** L_test - L_train. */
  public double gap() {
    return lastOr(p -> p.testLoss() - p.trainLoss());
  }

  /** acc_train - acc_test. */
  public double accuracyGap() {
    return lastOr(p -> p.trainAccuracy() - p.testAccuracy());
  }

  /** L_shifted - L_train (NaN without a shifted set). */
  public double shiftedGap() {
    return lastOr(p -> p.shiftedLoss() - p.trainLoss());
  }

  /** acc_train - acc_shifted. */
  public double shiftedAccuracyGap() {
    return lastOr(p -> p.trainAccuracy() - p.shiftedAccuracy());
  }

  /** The lowest train loss at any checkpoint (NaN without checkpoints). */
  public double bestTrainLoss() {
    return trajectory.stream().mapToDouble(TrajectoryPoint::trainLoss).filter(Double::isFinite)
        .min().orElse(Double.NaN);
  }

  /**
   * {gap, lambda_max} where the run first reached train loss {@code level}: at the first
   * checkpoint j with L_train(j) &lt;= level, linearly interpolated in the train loss from
   * checkpoint j - 1,
   *
   * <pre>
   *   w = (L(j-1) - level) / (L(j-1) - L(j)),   x* = x(j-1) + w (x(j) - x(j-1))
   * </pre>
   *
   * (x(0) when the first checkpoint already reaches it); NaNs when it never does.
   */
  public double[] atTrainLoss(double level) {
    for (int j = 0; j < trajectory.size(); j++) {
      TrajectoryPoint p = trajectory.get(j);
      if (p.trainLoss() <= level) {
        double lam = p.probes().getOrDefault("lambda_max", Double.NaN);
        if (j == 0) {
          return new double[] {p.gap(), lam};
        }
        TrajectoryPoint q = trajectory.get(j - 1);
        double w = (q.trainLoss() - level) / (q.trainLoss() - p.trainLoss());
        double lq = q.probes().getOrDefault("lambda_max", Double.NaN);
        return new double[] {q.gap() + w * (p.gap() - q.gap()), lq + w * (lam - lq)};
      }
    }
    return new double[] {Double.NaN, Double.NaN};
  }

  /** Final lambda_max. */
  public double lambdaMax() {
    return probe("lambda_max");
  }

  /** Final lambda_max on the training batch (NaN unless {@link StudySpec#trainCurvature}). */
  public double trainLambdaMax() {
    return probe("train_lambda_max");
  }

  /** Final 2/eta. */
  public double twoOverEta() {
    return probe("two_over_eta");
  }

  /** Seen-curvature c at the end. */
  public double seenCurvature() {
    return probe("seen_curvature");
  }

  /** Final cosine between the rule's update and the true gradient. */
  public double gradCosine() {
    return probe("grad_cosine");
  }
}
