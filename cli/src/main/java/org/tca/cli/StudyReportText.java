package org.tca.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tca.study.RunRecord;
import org.tca.study.Setting;
import org.tca.study.StudySpec;
import org.tca.study.StudyTask;

/**
 * The Markdown report of a study: what ran, then per task the per-group table (mean ± sd and 95%
 * bootstrap interval of the gap and the final lambda_max, diverged and stalled runs counted
 * apart), the correlation, one paragraph per claim with the verdict computed by
 * {@link org.tca.study.StudyClaims} from that task's numbers, and the figures. A study of
 * several tasks starts with an overview: each claim's verdict per task, the combined verdict and
 * the pooled within-task correlation.
 */
final class StudyReportText {

  private StudyReportText() {}

  @SuppressWarnings("unchecked")
  static String markdown(StudySpec spec, List<RunRecord> runs, Map<String, Object> summary,
      Map<String, List<Path>> figures, String figuresMissing, Path dir) {
    StringBuilder md = new StringBuilder();
    md.append("# Study report: ").append(spec.name()).append("\n\n");
    if (!spec.description().isBlank()) {
      md.append(spec.description()).append("\n\n");
    }
    for (StudyTask t : spec.tasks()) {
      md.append("- task ").append(t.label()).append(": ").append(new java.util.TreeMap<>(
          t.params())).append('\n');
    }
    md.append("- rules: ").append(String.join(", ", spec.rules()))
        .append("\n- seeds: ").append(spec.seeds())
        .append("\n- model: N = ").append(spec.hidden()).append(", tau = ")
        .append(Double.isNaN(spec.tau()) ? "none (a = 0)" : StudyOutputs.fmt(spec.tau()))
        .append(", L2 = ").append(StudyOutputs.fmt(spec.l2())).append(", ")
        .append(spec.activation())
        .append("\n- training: ").append(spec.optimizer()).append(", B = ").append(spec.batch())
        .append(", iterations ").append(spec.iterations())
        .append(spec.ruleIterations().isEmpty() ? "" : " " + spec.ruleIterations())
        .append(", ").append(spec.checkpoints()).append(" checkpoints")
        .append("\n- settings: ");
    for (Setting s : spec.settings()) {
      md.append(s.label()).append(s.rules().isEmpty() ? "" : " (" + s.rules() + ")")
          .append("; ");
    }
    md.append("\n- curvature: lambda_max of the ").append(spec.curvatureBlocks())
        .append(" Hessian of the training loss on a held-out batch of ").append(spec.heldOut())
        .append("\n\n");
    md.append(String.format("Runs: %s, ok %s, diverged %s, stalled %s, incomplete %s.%n%n",
        summary.get("runs"), summary.get("ok"), summary.get("diverged"), summary.get("stalled"),
        summary.get("incomplete")));
    List<Object> tasks = (List<Object>) summary.get("tasks");
    boolean several = spec.tasks().size() > 1;
    if (several) {
      overview(md, summary, tasks);
    }
    for (Object o : tasks) {
      Map<String, Object> t = (Map<String, Object>) o;
      String id = (String) t.get("task");
      String h = several ? "###" : "##";
      md.append(several ? "## Task " + spec.task(id).label() + "\n\n" : "## Results\n\n");
      table(md, summary, id);
      md.append(String.format("%nMatched train loss L* = %s: the largest of the runs' lowest"
          + " train losses, so every run reached it; \"gap at L*\" is each run's gap where it"
          + " first did (interpolated between checkpoints), free of how far each rule fitted"
          + " its training set.%n", fmt(t, "matched_train_loss")));
      Map<String, Object> c = (Map<String, Object>) t.get("correlation");
      md.append(String.format("%nGap vs final λ_max over all %s usable runs: Pearson r = %s"
          + " (p = %s), Spearman ρ = %s (p = %s).%n%n", c.get("n"), fmt(c, "pearson_r"),
          fmt(c, "pearson_p"), fmt(c, "spearman_r"), fmt(c, "spearman_p")));
      List<RunRecord> bad = runs.stream().filter(r -> r.task().equals(id)
          && !r.status().equals("ok")).toList();
      if (!bad.isEmpty()) {
        md.append("Runs left out of every mean and fit:\n\n");
        for (RunRecord r : bad) {
          md.append("- ").append(r.id()).append(": ").append(r.status())
              .append(r.reason().isBlank() ? "" : " (" + r.reason() + ")").append('\n');
        }
        md.append('\n');
      }
      md.append(h).append(" Claims\n\n");
      for (Object co : (List<Object>) t.get("claims")) {
        Map<String, Object> cl = (Map<String, Object>) co;
        md.append(h).append("# ").append(cl.get("claim")).append("\n\n**Verdict: ")
            .append(cl.get("verdict")).append(".** ").append(cl.get("text")).append("\n\n");
      }
      md.append(h).append(" Figures\n\n");
      if (figuresMissing != null && !figures.containsKey(id)) {
        md.append("Figures ").append(figuresMissing).append("; `tca report DIR` draws them.\n\n");
      }
      for (Path f : figures.getOrDefault(id, List.of())) {
        if (f.toString().endsWith(".png")) {
          String rel = dir.toAbsolutePath().relativize(f.toAbsolutePath()).toString()
              .replace('\\', '/');
          md.append("![").append(f.getFileName()).append("](").append(rel).append(")\n\n");
        }
      }
    }
    md.append("Per-run data: `runs.csv`, `runs/*.json`; statistics: `summary.json`.\n");
    return md.toString();
  }

  @SuppressWarnings("unchecked")
  private static void overview(StringBuilder md, Map<String, Object> summary,
      List<Object> tasks) {
    md.append("## Overview\n\n| claim |");
    for (Object o : tasks) {
      md.append(' ').append(((Map<String, Object>) o).get("task")).append(" |");
    }
    md.append(" all tasks |\n|---|").append("---|".repeat(tasks.size() + 1)).append('\n');
    List<Object> combined = (List<Object>) summary.get("claims");
    for (int i = 0; i < combined.size(); i++) {
      Map<String, Object> c = (Map<String, Object>) combined.get(i);
      md.append("| ").append(c.get("claim")).append(" |");
      for (Object o : tasks) {
        List<Object> cs = (List<Object>) ((Map<String, Object>) o).get("claims");
        String v = cs.stream().map(x -> (Map<String, Object>) x)
            .filter(x -> x.get("claim").equals(c.get("claim"))).map(x -> (String) x.get("verdict"))
            .findFirst().orElse("–");
        md.append(' ').append(v).append(" |");
      }
      md.append(' ').append(c.get("verdict")).append(" |\n");
    }
    Map<String, Object> c = (Map<String, Object>) summary.get("correlation");
    md.append(String.format("%nPooled within-task correlation of gap and final λ_max (each"
        + " standardised within its task) over %s runs: Pearson r = %s (p = %s), Spearman ρ = %s"
        + " (p = %s).%n%n", c.get("n"), fmt(c, "pearson_r"), fmt(c, "pearson_p"),
        fmt(c, "spearman_r"), fmt(c, "spearman_p")));
  }

  @SuppressWarnings("unchecked")
  private static void table(StringBuilder md, Map<String, Object> summary, String task) {
    md.append("| rule | setting | ok / runs | diverged | stalled | gap mean ± sd [95% CI] |"
        + " gap at L* | accuracy gap | shifted gap | λ_max mean ± sd [95% CI] | λ_max at L* | 2/η |"
        + " runs above 2/η | c (seen) | cos(g, ∇L) |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Object o : (List<Object>) summary.get("groups")) {
      Map<String, Object> g = (Map<String, Object>) o;
      if (!task.equals(g.get("task"))) {
        continue;
      }
      md.append("| ").append(g.get("rule")).append(" | ").append(g.get("setting_label"))
          .append(" | ").append(g.get("ok")).append(" / ").append(g.get("runs")).append(" | ")
          .append(g.get("diverged")).append(" | ").append(g.get("stalled")).append(" | ")
          .append(stat(g, "gap", true)).append(" | ")
          .append(stat(g, "matched_gap", false)).append(" | ")
          .append(stat(g, "accuracy_gap", false)).append(" | ")
          .append(stat(g, "shifted_gap", false)).append(" | ")
          .append(stat(g, "lambda_max", true)).append(" | ")
          .append(stat(g, "matched_lambda_max", false)).append(" | ")
          .append(StudyOutputs.fmt((Double) g.get("two_over_eta"))).append(" | ")
          .append(g.get("above_two_over_eta")).append(" | ")
          .append(stat(g, "seen_curvature", false)).append(" | ")
          .append(stat(g, "grad_cosine", false)).append(" |\n");
    }
  }

  private static String fmt(Map<String, Object> m, String key) {
    return StudyOutputs.fmt((Double) m.get(key));
  }

  @SuppressWarnings("unchecked")
  private static String stat(Map<String, Object> g, String key, boolean ci) {
    Map<String, Object> s = (Map<String, Object>) g.get(key);
    if (((Number) s.get("n")).intValue() == 0) {
      return "–";
    }
    String out = StudyOutputs.fmt((Double) s.get("mean")) + " ± "
        + StudyOutputs.fmt((Double) s.get("sd"));
    return ci ? out + " [" + StudyOutputs.fmt((Double) s.get("ci_lo")) + ", "
        + StudyOutputs.fmt((Double) s.get("ci_hi")) + "]" : out;
  }
}
