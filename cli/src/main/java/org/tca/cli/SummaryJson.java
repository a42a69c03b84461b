package org.tca.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tca.study.Claim;
import org.tca.study.ClaimVerdict;
import org.tca.study.GapCorrelation;
import org.tca.study.GroupSummary;
import org.tca.study.MeanEstimate;
import org.tca.study.StudySummary;
import org.tca.study.TaskSummary;

/**
 * A {@link StudySummary} as the JSON tree of {@code summary.json} (keys in snake case, in the
 * order of the records' components; NaN written as null by {@link JsonFiles}).
 */
final class SummaryJson {

  private SummaryJson() {}

  static Map<String, Object> of(StudySummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runs", s.runs());
    m.put("ok", s.ok());
    m.put("diverged", s.diverged());
    m.put("stalled", s.stalled());
    m.put("incomplete", s.incomplete());
    m.put("usable", s.usable());
    m.put("groups", s.groups().stream().map(SummaryJson::group).toList());
    m.put("tasks", s.tasks().stream().map(SummaryJson::task).toList());
    m.put("correlation", correlation(s.correlation()));
    m.put("claims", claims(s.claims()));
    if (!s.robustness().isEmpty()) {
      m.put("robustness", s.robustness());
    }
    return m;
  }

  private static Map<String, Object> group(GroupSummary g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", g.task());
    m.put("rule", g.rule());
    m.put("setting", g.setting());
    m.put("setting_label", g.settingLabel());
    m.put("lr", g.lr());
    m.put("two_over_eta", g.twoOverEta());
    m.put("runs", g.runs());
    m.put("ok", g.ok());
    m.put("diverged", g.diverged());
    m.put("diverged_runs", g.divergedRuns());
    m.put("stalled", g.stalled());
    m.put("stalled_runs", g.stalledRuns());
    m.put("gap", estimate(g.gap()));
    m.put("accuracy_gap", estimate(g.accuracyGap()));
    m.put("shifted_gap", estimate(g.shiftedGap()));
    m.put("lambda_max", estimate(g.lambdaMax()));
    m.put("seen_curvature", estimate(g.seenCurvature()));
    m.put("grad_cosine", estimate(g.gradCosine()));
    if (g.trainLambdaMax().n() > 0) {
      m.put("train_lambda_max", estimate(g.trainLambdaMax()));
    }
    m.put("matched_gap", estimate(g.matchedGap()));
    m.put("matched_lambda_max", estimate(g.matchedLambdaMax()));
    m.put("above_two_over_eta", g.aboveTwoOverEta());
    m.put("correlation", correlation(g.correlation()));
    return m;
  }

  private static Map<String, Object> task(TaskSummary t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", t.task());
    m.put("runs", t.runs());
    m.put("usable", t.usable());
    m.put("matched_train_loss", t.matchedTrainLoss());
    m.put("correlation", correlation(t.correlation()));
    m.put("claims", claims(t.claims()));
    if (!t.underFit().isEmpty()) {
      m.put("under_fit", t.underFit().stream().map(u -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("rule", u.rule());
        x.put("train_loss", u.trainLoss());
        x.put("train_accuracy", u.trainAccuracy());
        x.put("best_rule", u.bestRule());
        x.put("best_train_loss", u.bestTrainLoss());
        x.put("best_train_accuracy", u.bestTrainAccuracy());
        x.put("initial_train_loss", u.initialTrainLoss());
        return (Object) x;
      }).toList());
    }
    if (t.noFit() != null) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("best_rule", t.noFit().bestRule());
      x.put("best_train_loss", t.noFit().bestTrainLoss());
      x.put("best_train_accuracy", t.noFit().bestTrainAccuracy());
      x.put("initial_train_loss", t.noFit().initialTrainLoss());
      m.put("no_rule_fitted", x);
    }
    return m;
  }

  private static Map<String, Object> estimate(MeanEstimate e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", e.n());
    m.put("mean", e.mean());
    m.put("sd", e.sd());
    m.put("ci_lo", e.ciLo());
    m.put("ci_hi", e.ciHi());
    return m;
  }

  private static Map<String, Object> correlation(GapCorrelation c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", c.n());
    m.put("pearson_r", c.pearsonR());
    m.put("pearson_p", c.pearsonP());
    m.put("spearman_r", c.spearmanR());
    m.put("spearman_p", c.spearmanP());
    if (c.pooledWithinTasks()) {
      m.put("pooled_within_tasks", true);
    }
    return m;
  }

  private static List<Object> claims(List<Claim> claims) {
    return claims.stream().map(c -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("claim", c.title());
      m.put("verdict", c.verdict().text());
      if (c.verdict() instanceof ClaimVerdict.AcrossDraws a) {
        m.put("draws_supported", a.supported());
        m.put("draws_tested", a.tested());
        m.put("combined", a.combined() == null ? null : a.combined().text());
      }
      m.put("text", c.text());
      return (Object) m;
    }).toList();
  }
}
