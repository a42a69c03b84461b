package org.tca.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.tca.numerics.stats.Descriptive;
import org.tca.rules.train.RunStatus;

/**
 * The statistics of a study from its run records (NaN where undefined): run counts by status;
 * per group (task x learning-rate setting x rule) a {@link GroupSummary} over the usable runs
 * only (ok, finite gap and lambda_max; diverged and
 * {@linkplain org.tca.rules.train.RunStatus#STALLED stalled} runs are counted and listed, never
 * averaged) with the gap and lambda_max also at the task's matched train loss
 * ({@link StudyClaims#matchedLevel}, {@link RunRecord#atTrainLoss}); per task a
 * {@link TaskSummary} with its correlation and its {@linkplain StudyClaims claims}. With one task
 * the top-level correlation and claims are that task's; with several, the top-level correlation
 * is the pooled within-task correlation (gap and lambda_max standardised within each task with 3
 * or more usable runs, then correlated; its p-value treats the n pooled pairs as independent,
 * slightly optimistic since each task's centring uses a degree of freedom) and the claims are
 * {@linkplain StudyClaims#combine combined} over the tasks, after those of a task's training-set
 * draws ({@link Draws}) are put {@linkplain DrawClaims#acrossDraws together}.
 *
 * @param runs the runs
 * @param ok runs that finished ok
 * @param diverged runs that diverged
 * @param stalled runs that stalled
 * @param incomplete runs stopped early
 * @param usable runs counted in means and fits
 * @param groups per task x setting x rule, in first-appearance order
 * @param tasks per task, in first-appearance order
 * @param correlation gap against lambda_max (pooled within tasks when there are several)
 * @param claims the claims (combined over tasks when there are several)
 * @param robustness how robust the verdicts are to the training-set draw, in plain words
 *     ({@link DrawClaims#robustness}; per task when several tasks have draws), "" without draws
 */
public record StudySummary(int runs, long ok, long diverged, long stalled, long incomplete,
    long usable, List<GroupSummary> groups, List<TaskSummary> tasks, GapCorrelation correlation,
    List<Claim> claims, String robustness) {

  /** Copies the lists. */
  public StudySummary {
    groups = List.copyOf(groups);
    tasks = List.copyOf(tasks);
    claims = List.copyOf(claims);
  }

  /** The runs grouped by task, setting and rule, in first-appearance order. */
  public static Map<String, List<RunRecord>> groups(List<RunRecord> runs) {
    return groupBy(runs, r -> r.task() + " / " + r.rule() + " @ " + r.setting());
  }

  /** The runs grouped by task, in first-appearance order. */
  public static Map<String, List<RunRecord>> byTask(List<RunRecord> runs) {
    return groupBy(runs, RunRecord::task);
  }

  private static Map<String, List<RunRecord>> groupBy(List<RunRecord> runs,
      Function<RunRecord, String> key) {
    Map<String, List<RunRecord>> g = new LinkedHashMap<>();
    for (RunRecord r : runs) {
      g.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r);
    }
    return g;
  }

  /** The summary of the class comment. */
  public static StudySummary of(List<RunRecord> runs) {
    Map<String, List<RunRecord>> byTask = byTask(runs);
    Map<String, Double> level = new LinkedHashMap<>();
    byTask.forEach((t, rs) -> level.put(t, StudyClaims.matchedLevel(usable(rs))));
    List<GroupSummary> groups = new ArrayList<>();
    for (List<RunRecord> g : groups(runs).values()) {
      groups.add(group(g, level.get(g.get(0).task())));
    }
    List<TaskSummary> tasks = new ArrayList<>();
    Map<String, List<Claim>> claims = new LinkedHashMap<>();
    for (Map.Entry<String, List<RunRecord>> e : byTask.entrySet()) {
      List<RunRecord> use = usable(e.getValue());
      claims.put(e.getKey(), StudyClaims.evaluate(e.getValue()));
      String base = e.getValue().get(0).setting();
      List<RunRecord> atBase = use.stream().filter(r -> r.setting().equals(base)).toList();
      tasks.add(new TaskSummary(e.getKey(), e.getValue().size(), use.size(),
          level.get(e.getKey()), GapCorrelation.of(use), claims.get(e.getKey()),
          UnderFit.find(atBase), NoFit.find(atBase)));
    }
    boolean one = byTask.size() <= 1;
    Claims c = one ? new Claims(StudyClaims.evaluate(runs), "") : claims(byTask, claims);
    return new StudySummary(runs.size(), count(runs, RunStatus.OK),
        count(runs, RunStatus.DIVERGED), count(runs, RunStatus.STALLED),
        count(runs, RunStatus.INCOMPLETE), usable(runs).size(), groups, tasks,
        one ? GapCorrelation.of(usable(runs)) : pooledCorrelation(byTask), c.claims(),
        c.robustness());
  }

  /** A study's claims and how robust they are to the training-set draw. */
  private record Claims(List<Claim> claims, String robustness) {}

  /**
   * The claims of several tasks: those of the draws of one task ({@link Draws}) put together
   * {@linkplain DrawClaims#acrossDraws across the draws}, then {@linkplain StudyClaims#combine
   * combined} over the tasks when there are several.
   */
  private static Claims claims(Map<String, List<RunRecord>> byTask,
      Map<String, List<Claim>> claims) {
    if (byTask.keySet().stream().noneMatch(Draws::isDraw)) {
      return new Claims(StudyClaims.combine(claims), "");
    }
    Map<String, Map<String, List<RunRecord>>> byBase = new LinkedHashMap<>();
    byTask.forEach((t, rs) -> byBase.computeIfAbsent(Draws.base(t), k -> new LinkedHashMap<>())
        .put(t, rs));
    Map<String, List<Claim>> perBase = new LinkedHashMap<>();
    byBase.forEach((b, draws) -> {
      Map<String, List<Claim>> c = new LinkedHashMap<>();
      draws.keySet().forEach(t -> c.put(t, claims.get(t)));
      perBase.put(b, draws.size() == 1 && !Draws.isDraw(draws.keySet().iterator().next())
          ? c.values().iterator().next() : DrawClaims.acrossDraws(draws, c));
    });
    List<String> robust = new ArrayList<>();
    perBase.forEach((b, c) -> {
      String r = DrawClaims.robustness(c);
      if (!r.isEmpty()) {
        robust.add(perBase.size() == 1 ? r : "Task " + b + ": " + r);
      }
    });
    return new Claims(perBase.size() == 1 ? perBase.values().iterator().next()
        : StudyClaims.combine(perBase), String.join(" ", robust));
  }

  private static GroupSummary group(List<RunRecord> g, double at) {
    RunRecord first = g.get(0);
    List<RunRecord> use = usable(g);
    return new GroupSummary(first.task(), first.rule(), first.setting(), first.settingLabel(),
        first.lr(), g.size(), count(g, RunStatus.OK), count(g, RunStatus.DIVERGED),
        g.stream().filter(RunRecord::diverged).map(r -> r.id() + " at iteration "
            + r.divergedAt()).toList(), count(g, RunStatus.STALLED),
        g.stream().filter(RunRecord::stalled).map(RunRecord::id).toList(),
        estimate(use, RunRecord::gap), estimate(use, RunRecord::accuracyGap),
        estimate(use, RunRecord::shiftedGap), estimate(use, RunRecord::lambdaMax),
        estimate(use, RunRecord::seenCurvature), estimate(use, RunRecord::gradCosine),
        estimate(use, RunRecord::trainLambdaMax),
        estimate(use, r -> r.atTrainLoss(at)[0]), estimate(use, r -> r.atTrainLoss(at)[1]),
        use.stream().filter(r -> r.lambdaMax() > 2 / r.lr()).count(), GapCorrelation.of(use));
  }

  private static MeanEstimate estimate(List<RunRecord> use, ToDoubleFunction<RunRecord> f) {
    return MeanEstimate.of(values(use, f));
  }

  private static long count(List<RunRecord> runs, RunStatus status) {
    return runs.stream().filter(r -> r.status() == status).count();
  }

  /** The usable runs ({@link RunRecord#usable}) of {@code runs}. */
  static List<RunRecord> usable(List<RunRecord> runs) {
    return runs.stream().filter(RunRecord::usable).toList();
  }

  /** The pooled within-task correlation of gap and lambda_max (class comment). */
  static GapCorrelation pooledCorrelation(Map<String, List<RunRecord>> byTask) {
    List<Double> gap = new ArrayList<>();
    List<Double> lam = new ArrayList<>();
    for (List<RunRecord> rs : byTask.values()) {
      List<RunRecord> use = usable(rs);
      if (use.size() < 3) {
        continue;
      }
      double[] g = values(use, RunRecord::gap);
      double[] l = values(use, RunRecord::lambdaMax);
      double mg = Descriptive.mean(g);
      double sg = Descriptive.standardDeviation(g);
      double ml = Descriptive.mean(l);
      double sl = Descriptive.standardDeviation(l);
      if (!(sg > 0) || !(sl > 0)) {
        continue;
      }
      for (int i = 0; i < g.length; i++) {
        gap.add((g[i] - mg) / sg);
        lam.add((l[i] - ml) / sl);
      }
    }
    return GapCorrelation.of(lam.stream().mapToDouble(Double::doubleValue).toArray(),
        gap.stream().mapToDouble(Double::doubleValue).toArray(), true);
  }

  /** The finite values of {@code f} over {@code runs}. */
  static double[] values(List<RunRecord> runs, ToDoubleFunction<RunRecord> f) {
    return runs.stream().mapToDouble(f).filter(Double::isFinite).toArray();
  }

  /** The mean of the finite values of f over runs, NaN when there are none. */
  static double finiteMean(List<RunRecord> runs, ToDoubleFunction<RunRecord> f) {
    double[] x = values(runs, f);
    return x.length == 0 ? Double.NaN : Descriptive.mean(x);
  }
}
