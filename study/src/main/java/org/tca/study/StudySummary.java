package org.tca.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.tca.numerics.random.RandomStream;
import org.tca.numerics.stats.Bootstrap;
import org.tca.numerics.stats.BootstrapInterval;
import org.tca.numerics.stats.Correlation;
import org.tca.numerics.stats.CorrelationResult;
import org.tca.numerics.stats.Descriptive;
import org.tca.numerics.stats.Distributions;

/**
 * The statistics of a study from its run records, as a JSON-ready tree (maps, lists, numbers;
 * NaN where undefined). Per group (task x learning-rate setting x rule): run counts by status
 * and, over
 * the usable runs only (ok, finite gap and lambda_max; diverged and
 * {@linkplain org.tca.rules.train.RunStatus#STALLED stalled} runs are counted and listed, never
 * averaged), n, mean, sd (divisor n - 1) and the 95% percentile-bootstrap interval of the mean
 * ({@value #RESAMPLES} resamples, stream seeded {@value #BOOTSTRAP_SEED}) of the gap, accuracy
 * gap, shifted gap, final lambda_max, seen-curvature and gradient cosine, and of the gap and
 * lambda_max at the task's matched train loss ({@link StudyClaims#matchedLevel},
 * {@link RunRecord#atTrainLoss}). Correlation of gap
 * against lambda_max (Pearson r, Spearman rho, two-sided p) over all usable runs and within each
 * group (NaN with fewer than 3 runs). Per task: its correlation and its
 * {@linkplain StudyClaims claims}. With one task the top-level correlation and claims are that
 * task's; with several, the top-level correlation is the pooled within-task correlation (gap and
 * lambda_max standardised within each task with 3 or more usable runs, then correlated; its
 * p-value treats the n pooled pairs as independent, slightly optimistic since each task's
 * centring uses a degree of freedom) and the claims are {@linkplain StudyClaims#combine
 * combined} over the tasks.
 */
public final class StudySummary {

  /** Bootstrap resamples. */
  public static final int RESAMPLES = 2000;
  /** Seed of the bootstrap stream. */
  public static final long BOOTSTRAP_SEED = 20220601L;
  /** Confidence level. */
  public static final double LEVEL = 0.95;

  private StudySummary() {}

  /** A named per-run statistic. */
  record Metric(String name, ToDoubleFunction<RunRecord> f) {}

  /** The metrics summarised per group. */
  static final List<Metric> METRICS = List.of(
      new Metric("gap", RunRecord::gap),
      new Metric("accuracy_gap", RunRecord::accuracyGap),
      new Metric("shifted_gap", RunRecord::shiftedGap),
      new Metric("lambda_max", RunRecord::lambdaMax),
      new Metric("seen_curvature", RunRecord::seenCurvature),
      new Metric("grad_cosine", RunRecord::gradCosine));

  /** The runs grouped by task, setting and rule, in first-appearance order. */
  public static Map<String, List<RunRecord>> groups(List<RunRecord> runs) {
    return groupBy(runs, r -> r.task() + " / " + r.rule() + " @ " + r.setting());
  }

  /** The runs grouped by task, in first-appearance order. */
  public static Map<String, List<RunRecord>> byTask(List<RunRecord> runs) {
    return groupBy(runs, RunRecord::task);
  }

  private static Map<String, List<RunRecord>> groupBy(List<RunRecord> runs,
      java.util.function.Function<RunRecord, String> key) {
    Map<String, List<RunRecord>> g = new LinkedHashMap<>();
    for (RunRecord r : runs) {
      g.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r);
    }
    return g;
  }

  /** The summary tree of the class comment. */
  public static Map<String, Object> of(List<RunRecord> runs) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("runs", runs.size());
    out.put("ok", runs.stream().filter(r -> r.status().equals("ok")).count());
    out.put("diverged", runs.stream().filter(RunRecord::diverged).count());
    out.put("stalled", runs.stream().filter(RunRecord::stalled).count());
    out.put("incomplete", runs.stream().filter(r -> r.status().equals("incomplete")).count());
    out.put("usable", runs.stream().filter(RunRecord::usable).count());
    Map<String, List<RunRecord>> byTask = byTask(runs);
    Map<String, Double> level = new LinkedHashMap<>();
    byTask.forEach((t, rs) -> level.put(t,
        StudyClaims.matchedLevel(rs.stream().filter(RunRecord::usable).toList())));
    List<Object> groups = new ArrayList<>();
    for (List<RunRecord> g : groups(runs).values()) {
      RunRecord first = g.get(0);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("task", first.task());
      m.put("rule", first.rule());
      m.put("setting", first.setting());
      m.put("setting_label", first.settingLabel());
      m.put("lr", first.lr());
      m.put("two_over_eta", 2 / first.lr());
      m.put("runs", g.size());
      m.put("ok", g.stream().filter(r -> r.status().equals("ok")).count());
      m.put("diverged", g.stream().filter(RunRecord::diverged).count());
      m.put("diverged_runs", g.stream().filter(RunRecord::diverged)
          .map(r -> r.id() + " at iteration " + r.divergedAt()).toList());
      m.put("stalled", g.stream().filter(RunRecord::stalled).count());
      m.put("stalled_runs", g.stream().filter(RunRecord::stalled).map(RunRecord::id).toList());
      List<RunRecord> use = g.stream().filter(RunRecord::usable).toList();
      for (Metric metric : METRICS) {
        m.put(metric.name(), describe(values(use, metric.f())));
      }
      double at = level.get(first.task());
      m.put("matched_gap", describe(values(use, r -> r.atTrainLoss(at)[0])));
      m.put("matched_lambda_max", describe(values(use, r -> r.atTrainLoss(at)[1])));
      m.put("above_two_over_eta", use.stream().filter(r -> r.lambdaMax() > 2 / r.lr()).count());
      m.put("correlation", correlation(use));
      groups.add(m);
    }
    out.put("groups", groups);
    List<Object> tasks = new ArrayList<>();
    Map<String, List<Map<String, Object>>> claims = new LinkedHashMap<>();
    for (Map.Entry<String, List<RunRecord>> e : byTask.entrySet()) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("task", e.getKey());
      t.put("runs", e.getValue().size());
      t.put("usable", e.getValue().stream().filter(RunRecord::usable).count());
      t.put("matched_train_loss", level.get(e.getKey()));
      t.put("correlation", correlation(e.getValue().stream().filter(RunRecord::usable).toList()));
      claims.put(e.getKey(), StudyClaims.evaluate(e.getValue()));
      t.put("claims", claims.get(e.getKey()));
      tasks.add(t);
    }
    out.put("tasks", tasks);
    if (byTask.size() <= 1) {
      out.put("correlation", correlation(runs.stream().filter(RunRecord::usable).toList()));
      out.put("claims", StudyClaims.evaluate(runs));
    } else {
      out.put("correlation", pooledCorrelation(byTask));
      out.put("claims", StudyClaims.combine(claims));
    }
    return out;
  }

  /**
   * The pooled within-task correlation of gap and lambda_max (class comment), with
   * {@code "pooled_within_tasks": true}.
   */
  static Map<String, Object> pooledCorrelation(Map<String, List<RunRecord>> byTask) {
    List<Double> gap = new ArrayList<>();
    List<Double> lam = new ArrayList<>();
    for (List<RunRecord> rs : byTask.values()) {
      List<RunRecord> use = rs.stream().filter(RunRecord::usable).toList();
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
    double[] gz = gap.stream().mapToDouble(Double::doubleValue).toArray();
    double[] lz = lam.stream().mapToDouble(Double::doubleValue).toArray();
    Map<String, Object> m = correlationOf(lz, gz);
    m.put("pooled_within_tasks", true);
    return m;
  }

  /** The finite values of {@code f} over {@code runs}. */
  static double[] values(List<RunRecord> runs, ToDoubleFunction<RunRecord> f) {
    return runs.stream().mapToDouble(f).filter(Double::isFinite).toArray();
  }

  /** n, mean, sd, ci_lo, ci_hi of a sample (NaN where undefined). */
  public static Map<String, Object> describe(double[] x) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", x.length);
    m.put("mean", x.length == 0 ? Double.NaN : Descriptive.mean(x));
    m.put("sd", x.length < 2 ? Double.NaN : Descriptive.standardDeviation(x));
    if (x.length == 0) {
      m.put("ci_lo", Double.NaN);
      m.put("ci_hi", Double.NaN);
    } else {
      BootstrapInterval ci = Bootstrap.percentileMean(x, RESAMPLES, LEVEL,
          new RandomStream(BOOTSTRAP_SEED));
      m.put("ci_lo", ci.lo());
      m.put("ci_hi", ci.hi());
    }
    return m;
  }

  /** Pearson and Spearman of gap against lambda_max over {@code use}. */
  static Map<String, Object> correlation(List<RunRecord> use) {
    return correlationOf(use.stream().mapToDouble(RunRecord::lambdaMax).toArray(),
        use.stream().mapToDouble(RunRecord::gap).toArray());
  }

  private static Map<String, Object> correlationOf(double[] lam, double[] gap) {
    Map<String, Object> m = new LinkedHashMap<>();
    int n = gap.length;
    m.put("n", n);
    CorrelationResult p = n < 3 ? null : Correlation.pearson(lam, gap);
    CorrelationResult s = n < 3 ? null : Correlation.spearman(lam, gap);
    m.put("pearson_r", p == null ? Double.NaN : p.r());
    m.put("pearson_p", p == null ? Double.NaN : p.p());
    m.put("spearman_r", s == null ? Double.NaN : s.r());
    m.put("spearman_p", s == null ? Double.NaN : s.p());
    return m;
  }

  /**
   * Welch's two-sample t-test of mean(a) - mean(b): {t, df, p} (two-sided), NaN when either
   * sample has fewer than 2 values or both variances are 0.
   */
  public static double[] welch(double[] a, double[] b) {
    if (a.length < 2 || b.length < 2) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    double va = Descriptive.variance(a) / a.length;
    double vb = Descriptive.variance(b) / b.length;
    double se2 = va + vb;
    if (!(se2 > 0)) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    double t = (Descriptive.mean(a) - Descriptive.mean(b)) / Math.sqrt(se2);
    double df = se2 * se2 / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
    return new double[] {t, df, Distributions.studentTTwoSidedP(t, df)};
  }
}
