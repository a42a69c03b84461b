package org.tca.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tca.rules.study.RunRecord;
import org.tca.rules.study.Setting;
import org.tca.rules.study.StudySpec;

/**
 * The Markdown report of a study: what ran, the per-group table (mean ± sd and 95% bootstrap
 * interval of the gap and the final lambda_max, diverged runs counted apart), the correlation,
 * the figures and one paragraph per claim with the verdict computed by
 * {@link org.tca.rules.study.StudyClaims} from this study's numbers.
 */
final class StudyReportText {

  private StudyReportText() {}

  @SuppressWarnings("unchecked")
  static String markdown(StudySpec spec, List<RunRecord> runs, Map<String, Object> summary,
      List<Path> figures, Path dir) {
    StringBuilder md = new StringBuilder();
    md.append("# Study report: ").append(spec.name()).append("\n\n");
    if (!spec.description().isBlank()) {
      md.append(spec.description()).append("\n\n");
    }
    md.append("- task: `").append(spec.task()).append("` ").append(spec.taskParams())
        .append("\n- rules: ").append(String.join(", ", spec.rules()))
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
    md.append(String.format("Runs: %s, ok %s, diverged %s, incomplete %s.%n%n",
        summary.get("runs"), summary.get("ok"), summary.get("diverged"),
        summary.get("incomplete")));
    md.append("## Results\n\n");
    md.append("| rule | setting | ok / runs | diverged | gap mean ± sd [95% CI] | accuracy gap"
        + " | shifted gap | λ_max mean ± sd [95% CI] | 2/η | runs above 2/η | c (seen) |"
        + " cos(g, ∇L) |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Object o : (List<Object>) summary.get("groups")) {
      Map<String, Object> g = (Map<String, Object>) o;
      md.append("| ").append(g.get("rule")).append(" | ").append(g.get("setting_label"))
          .append(" | ").append(g.get("ok")).append(" / ").append(g.get("runs")).append(" | ")
          .append(g.get("diverged")).append(" | ").append(stat(g, "gap", true)).append(" | ")
          .append(stat(g, "accuracy_gap", false)).append(" | ")
          .append(stat(g, "shifted_gap", false)).append(" | ")
          .append(stat(g, "lambda_max", true)).append(" | ")
          .append(StudyOutputs.fmt((Double) g.get("two_over_eta"))).append(" | ")
          .append(g.get("above_two_over_eta")).append(" | ")
          .append(stat(g, "seen_curvature", false)).append(" | ")
          .append(stat(g, "grad_cosine", false)).append(" |\n");
    }
    Map<String, Object> c = (Map<String, Object>) summary.get("correlation");
    md.append(String.format("%nGap vs final λ_max over all %s usable runs: Pearson r = %s"
        + " (p = %s), Spearman ρ = %s (p = %s).%n%n", c.get("n"),
        StudyOutputs.fmt((Double) c.get("pearson_r")),
        StudyOutputs.fmt((Double) c.get("pearson_p")),
        StudyOutputs.fmt((Double) c.get("spearman_r")),
        StudyOutputs.fmt((Double) c.get("spearman_p"))));
    List<RunRecord> bad = runs.stream().filter(r -> !r.status().equals("ok")).toList();
    if (!bad.isEmpty()) {
      md.append("Runs left out of every mean and fit:\n\n");
      for (RunRecord r : bad) {
        md.append("- ").append(r.id()).append(": ").append(r.status())
            .append(r.reason().isBlank() ? "" : " (" + r.reason() + ")").append('\n');
      }
      md.append('\n');
    }
    md.append("## Claims\n\n");
    for (Object o : (List<Object>) summary.get("claims")) {
      Map<String, Object> cl = (Map<String, Object>) o;
      md.append("### ").append(cl.get("claim")).append("\n\n**Verdict: ")
          .append(cl.get("verdict")).append(".** ").append(cl.get("text")).append("\n\n");
    }
    md.append("## Figures\n\n");
    for (Path f : figures) {
      if (f.toString().endsWith(".png")) {
        String rel = dir.toAbsolutePath().relativize(f.toAbsolutePath()).toString();
        md.append("![").append(f.getFileName()).append("](").append(rel).append(")\n\n");
      }
    }
    md.append("Per-run data: `runs.csv`, `runs/*.json`; statistics: `summary.json`.\n");
    return md.toString();
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
