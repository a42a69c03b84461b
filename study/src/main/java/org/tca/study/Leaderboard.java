package org.tca.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tca.numerics.stats.Descriptive;
import org.tca.rules.task.Task;
import org.tca.rules.task.TaskKind;
import org.tca.rules.train.RunStatus;

/**
 * The leaderboard of a study: one {@link Row} per task x rule from its runs, each rule's rank
 * within each task and its overall rank. Reproducible: it is computed from the run records only
 * (the machine figures, steps per second, are measured apart: {@link RuleTiming}).
 *
 * <p>Means and the standard deviation (divisor n - 1) are over the rule's runs on that task that
 * finished "ok", each metric over the runs where it is finite; diverged runs are counted, not
 * averaged. Within a task rules are ranked by their score, higher first:
 *
 * <pre>
 *   score = mean test accuracy       (classification tasks)
 *   score = - mean test loss         (regression tasks: lower loss is better)
 * </pre>
 *
 * with fractional ranks for ties (rules with equal scores share the mean of the positions they
 * span: 1, 2.5, 2.5, 4), and rules without a finite score (every run diverged, or NaN metrics)
 * placed after all others, tied among themselves. The overall rank orders the rules by their
 * mean rank over the tasks (lower first); rules with equal mean ranks share a position
 * (competition ranking: 1, 2, 2, 4), listed in the study's rule order.
 */
public final class Leaderboard {

  /**
   * One rule on one task.
   *
   * @param task task id
   * @param rule rule id
   * @param runs runs of this rule on this task
   * @param ok runs that finished "ok"
   * @param diverged runs that diverged
   * @param testAccuracy mean test accuracy of the ok runs (NaN for regression)
   * @param testAccuracySd its standard deviation (NaN below two values)
   * @param testLoss mean test loss
   * @param gap mean generalization gap L_test - L_train
   * @param lambdaMax mean final lambda_max
   * @param gradCosine mean cosine of the rule's update to the true (BPTT) gradient
   * @param stateBytesPerSample bytes of learning state per sample at this task's T
   * @param rank the rule's fractional rank within the task (1 = best)
   */
  public record Row(String task, String rule, int runs, int ok, int diverged,
      double testAccuracy, double testAccuracySd, double testLoss, double gap, double lambdaMax,
      double gradCosine, long stateBytesPerSample, double rank) {}

  /**
   * A rule's place overall.
   *
   * @param rule rule id
   * @param meanRank its mean rank over the tasks
   * @param position its position (1 = best; equal mean ranks share one)
   */
  public record Overall(String rule, double meanRank, int position) {}

  private final List<String> tasks;
  private final List<String> rules;
  private final Map<String, Boolean> classification;
  private final List<Row> rows;
  private final List<Overall> overall;

  private Leaderboard(List<String> tasks, List<String> rules, Map<String, Boolean> classification,
      List<Row> rows, List<Overall> overall) {
    this.tasks = List.copyOf(tasks);
    this.rules = List.copyOf(rules);
    this.classification = Map.copyOf(classification);
    this.rows = List.copyOf(rows);
    this.overall = List.copyOf(overall);
  }

  /**
   * The leaderboard of {@code runs}, a study of {@code spec} on {@code tasks} (by task id, as
   * {@link StudySpec#createTasks} builds them); {@code stateBytes} gives a rule's bytes of
   * learning state per sample on a task (rule id, task).
   */
  public static Leaderboard of(StudySpec spec, Map<String, Task> tasks, List<RunRecord> runs,
      java.util.function.ToLongBiFunction<String, Task> stateBytes) {
    List<String> taskIds = spec.tasks().stream().map(StudyTask::id).toList();
    Map<String, Boolean> cls = new LinkedHashMap<>();
    List<Row> rows = new ArrayList<>();
    for (String t : taskIds) {
      Task task = tasks.get(t);
      cls.put(t, task.kind() == TaskKind.CLASSIFICATION);
      List<Row> unranked = new ArrayList<>();
      for (String r : spec.rules()) {
        List<RunRecord> mine = runs.stream()
            .filter(x -> x.task().equals(t) && x.rule().equals(r)).toList();
        unranked.add(row(t, r, mine, stateBytes.applyAsLong(r, task)));
      }
      double[] score = unranked.stream().mapToDouble(x -> cls.get(t) ? x.testAccuracy()
          : -x.testLoss()).toArray();
      double[] rank = ranks(score);
      for (int i = 0; i < unranked.size(); i++) {
        Row u = unranked.get(i);
        rows.add(new Row(u.task(), u.rule(), u.runs(), u.ok(), u.diverged(), u.testAccuracy(),
            u.testAccuracySd(), u.testLoss(), u.gap(), u.lambdaMax(), u.gradCosine(),
            u.stateBytesPerSample(), rank[i]));
      }
    }
    return new Leaderboard(taskIds, spec.rules(), cls, rows, overall(spec.rules(), rows));
  }

  private static Row row(String task, String rule, List<RunRecord> runs, long bytes) {
    List<RunRecord> ok = runs.stream().filter(r -> r.status() == RunStatus.OK).toList();
    double[] acc = StudySummary.values(ok, RunRecord::testAccuracy);
    return new Row(task, rule, runs.size(), ok.size(),
        (int) runs.stream().filter(RunRecord::diverged).count(),
        StudySummary.finiteMean(ok, RunRecord::testAccuracy),
        acc.length < 2 ? Double.NaN : Descriptive.standardDeviation(acc),
        StudySummary.finiteMean(ok, RunRecord::testLoss),
        StudySummary.finiteMean(ok, RunRecord::gap),
        StudySummary.finiteMean(ok, RunRecord::lambdaMax),
        StudySummary.finiteMean(ok, RunRecord::gradCosine), bytes, Double.NaN);
  }

  /**
   * Fractional ranks of {@code scores}, higher first: ties share the mean of their positions;
   * NaN scores come after every finite one, tied among themselves.
   */
  public static double[] ranks(double[] scores) {
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // NaN last; -0.0 and 0.0 tie
    Comparator<Integer> best = Comparator.comparingDouble(i -> Double.isNaN(scores[i])
        ? Double.POSITIVE_INFINITY : -scores[i] + 0.0);
    Arrays.sort(order, best);
    double[] rank = new double[n];
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && best.compare(order[i], order[j + 1]) == 0) {
        j++;
      }
      double shared = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        rank[order[k]] = shared;
      }
      i = j + 1;
    }
    return rank;
  }

  private static List<Overall> overall(List<String> rules, List<Row> rows) {
    double[] mean = new double[rules.size()];
    for (int r = 0; r < rules.size(); r++) {
      String rule = rules.get(r);
      mean[r] = rows.stream().filter(x -> x.rule().equals(rule)).mapToDouble(Row::rank)
          .average().orElse(Double.NaN);
    }
    double[] negated = Arrays.stream(mean).map(m -> -m).toArray();
    double[] frac = ranks(negated);
    List<Overall> out = new ArrayList<>();
    for (int r = 0; r < rules.size(); r++) {
      int ahead = 0;
      for (int q = 0; q < rules.size(); q++) {
        ahead += frac[q] < frac[r] ? 1 : 0;
      }
      out.add(new Overall(rules.get(r), mean[r], ahead + 1));
    }
    out.sort(Comparator.comparingInt(Overall::position)); // stable: rule order among equals
    return out;
  }

  /** The task ids, in study order. */
  public List<String> tasks() {
    return tasks;
  }

  /** The rule ids, in study order. */
  public List<String> rules() {
    return rules;
  }

  /** Whether task {@code id} is scored by accuracy (else by test loss). */
  public boolean classification(String task) {
    return classification.get(task);
  }

  /** Every row: task by task in study order, rules in study order within a task. */
  public List<Row> rows() {
    return rows;
  }

  /** The rows of one task, best rank first (rule order among ties). */
  public List<Row> ranked(String task) {
    return rows.stream().filter(r -> r.task().equals(task))
        .sorted(Comparator.comparingDouble(Row::rank)).toList();
  }

  /** The row of {@code rule} on {@code task}. */
  public Row row(String task, String rule) {
    return rows.stream().filter(r -> r.task().equals(task) && r.rule().equals(rule)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no row " + task + " x " + rule));
  }

  /** The overall ranking, best first. */
  public List<Overall> overall() {
    return overall;
  }
}
