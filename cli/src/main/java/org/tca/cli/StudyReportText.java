package org.tca.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tca.rules.train.RunStatus;
import org.tca.study.Claim;
import org.tca.study.GapCorrelation;
import org.tca.study.GroupSummary;
import org.tca.study.MeanEstimate;
import org.tca.study.RunRecord;
import org.tca.study.Setting;
import org.tca.study.StudySpec;
import org.tca.study.StudySummary;
import org.tca.study.StudyTask;
import org.tca.study.TaskSummary;

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

  static String markdown(StudySpec spec, List<RunRecord> runs, StudySummary summary,
      Map<String, List<Path>> figures, String figuresMissing, Path dir) {
    StringBuilder md = new StringBuilder();
    md.append("# Study report: ").append(spec.name()).append("\n\n");
    if (!spec.description().isBlank()) {
      md.append(spec.description()).append("\n\n");
    }
    for (StudyTask t : spec.tasks()) {
      md.append("- task ").append(t.label()).append(": ").append(new java.util.TreeMap<>(
          t.params())).append(t.tau() == null ? "" : ", tau = " + tau(t.tau())).append('\n');
    }
    md.append("- rules: ").append(String.join(", ", spec.rules()))
        .append("\n- seeds: ").append(spec.seeds())
        .append("\n- model: N = ").append(spec.hidden()).append(", ")
        .append(spec.isSpiking() ? "spiking " + spec.spiking().json() : "tau = "
            + tau(spec.tau()))
        .append(", L2 = ").append(StudyOutputs.fmt(spec.l2()))
        .append(spec.isSpiking() ? "" : ", " + spec.activation().id())
        .append("\n- training: ").append(spec.optimizer().kind()).append(", B = ")
        .append(spec.batch()).append(", iterations ").append(spec.iterations())
        .append(spec.ruleIterations().isEmpty() ? "" : " " + spec.ruleIterations())
        .append(", ").append(spec.checkpoints()).append(" checkpoints")
        .append("\n- settings: ");
    for (Setting s : spec.settings()) {
      md.append(s.label()).append(s.rules().isEmpty() ? "" : " (" + s.rules() + ")")
          .append("; ");
    }
    md.append(spec.isSpiking() ? "\n- " + org.tca.study.StudyClaims.NO_CURVATURE_LINE
            : "\n- curvature: lambda_max of the " + spec.curvatureBlocks()
        + " Hessian of the training loss on a held-out batch of " + spec.heldOut()
        + (spec.trainCurvature() ? " and on the first " + spec.heldOut()
            + " training trials" : ""))
        .append(spec.trainsToLoss() ? "\n- train to a loss: each run stops at the first"
            + " checkpoint with train loss <= " + StudyOutputs.fmt(spec.untilTrainLoss())
            + ", or at its iteration cap" : "")
        .append("\n\n");
    md.append(String.format("Runs: %s, ok %s, diverged %s, stalled %s, incomplete %s.%n%n",
        summary.runs(), summary.ok(), summary.diverged(), summary.stalled(),
        summary.incomplete()));
    boolean several = spec.tasks().size() > 1;
    if (several) {
      overview(md, summary);
    }
    for (TaskSummary t : summary.tasks()) {
      String id = t.task();
      String h = several ? "###" : "##";
      md.append(several ? "## Task " + spec.task(id).label() + "\n\n" : "## Results\n\n");
      table(md, summary, id, spec.isSpiking());
      md.append(String.format("%nMatched train loss L* = %s: the largest of the runs' lowest"
          + " train losses, so every run reached it; \"gap at L*\" is each run's gap where it"
          + " first did (interpolated between checkpoints), free of how far each rule fitted"
          + " its training set.%n", StudyOutputs.fmt(t.matchedTrainLoss())));
      List<RunRecord> taskRuns = runs.stream().filter(r -> r.task().equals(id)).toList();
      fit(md, t, taskRuns);
      if (spec.isSpiking()) {
        SpikingReportText.append(md, taskRuns);
        md.append('\n');
      } else {
        GapCorrelation c = t.correlation();
        md.append(String.format("%nGap vs final λ_max over all %s usable runs: Pearson r = %s"
            + " (p = %s), Spearman ρ = %s (p = %s).%n%n", c.n(), StudyOutputs.fmt(c.pearsonR()),
            StudyOutputs.fmt(c.pearsonP()), StudyOutputs.fmt(c.spearmanR()),
            StudyOutputs.fmt(c.spearmanP())));
      }
      List<RunRecord> bad = runs.stream().filter(r -> r.task().equals(id)
          && r.status() != RunStatus.OK).toList();
      if (!bad.isEmpty()) {
        md.append("Runs left out of every mean and fit:\n\n");
        for (RunRecord r : bad) {
          md.append("- ").append(r.id()).append(": ").append(r.status().id())
              .append(r.reason().isBlank() ? "" : " (" + r.reason() + ")").append('\n');
        }
        md.append('\n');
      }
      md.append(h).append(" Claims\n\n");
      for (Claim cl : t.claims()) {
        md.append(h).append("# ").append(cl.title()).append("\n\n**Verdict: ")
            .append(cl.verdict().text()).append(".** ").append(cl.text()).append("\n\n");
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

  private static String tau(double tau) {
    return Double.isNaN(tau) ? "none (a = 0)" : StudyOutputs.fmt(tau);
  }

  /** The under-fit rules and the runs that stopped at their cap without the target loss. */
  private static void fit(StringBuilder md, TaskSummary t, List<RunRecord> runs) {
    if (t.noFit() != null) {
      md.append("\n**Not fitted.** ").append(t.noFit().sentence()).append('\n');
    }
    for (org.tca.study.UnderFit u : t.underFit()) {
      md.append("\n**Under-fit.** ").append(u.sentence()).append(" Its final gap is not"
          + " comparable with the others' (an under-fitted network has a small gap because it"
          + " has not fitted its training set); claim 1 compares at the matched train loss"
          + " instead.\n");
    }
    List<RunRecord> trained = runs.stream().filter(RunRecord::hasTarget).toList();
    if (trained.isEmpty()) {
      return;
    }
    List<String> missed = trained.stream().filter(RunRecord::missedTarget)
        .map(r -> r.id() + " (train loss " + StudyOutputs.fmt(r.trainLoss()) + ")").toList();
    md.append(String.format("%nTrained to train loss %s: %d of %d runs reached it (mean"
        + " iteration %s)%s%n", StudyOutputs.fmt(trained.get(0).targetTrainLoss()),
        trained.stream().filter(r -> r.reachedTargetAt() >= 0).count(), trained.size(),
        StudyOutputs.fmt(trained.stream().filter(r -> r.reachedTargetAt() >= 0)
            .mapToLong(RunRecord::reachedTargetAt).average().orElse(Double.NaN)),
        missed.isEmpty() ? "." : "; stopped at the iteration cap without it: "
            + String.join(", ", missed) + "."));
  }

  private static void overview(StringBuilder md, StudySummary summary) {
    List<TaskSummary> tasks = summary.tasks();
    md.append("## Overview\n\n| claim |");
    for (TaskSummary t : tasks) {
      md.append(' ').append(t.task()).append(" |");
    }
    boolean draws = tasks.stream().anyMatch(t -> org.tca.study.Draws.isDraw(t.task()));
    md.append(draws ? " across draws |" : " all tasks |").append("\n|---|")
        .append("---|".repeat(tasks.size() + 1)).append('\n');
    for (Claim c : summary.claims()) {
      md.append("| ").append(c.title()).append(" |");
      for (TaskSummary t : tasks) {
        String v = t.claims().stream().filter(x -> x.title().equals(c.title()))
            .map(x -> x.verdict().text()).findFirst().orElse("–");
        md.append(' ').append(v).append(" |");
      }
      md.append(' ').append(c.verdict().text()).append(" |\n");
    }
    if (draws) {
      md.append("\n### Claims across the training-set draws\n\n").append(summary.robustness())
          .append("\n\nEach claim per draw (\"supported in k of m draws\") and combined over the"
              + " draws by a test stratified by draw (docs/science.md, \"Across training-set"
              + " draws\").\n\n");
      for (Claim cl : summary.claims()) {
        md.append("**").append(cl.title()).append(": ").append(cl.verdict().text())
            .append(".** ").append(cl.text()).append("\n\n");
      }
    }
    GapCorrelation c = summary.correlation();
    md.append(String.format("%nPooled within-task correlation of gap and final λ_max (each"
        + " standardised within its task) over %s runs: Pearson r = %s (p = %s), Spearman ρ = %s"
        + " (p = %s).%n%n", c.n(), StudyOutputs.fmt(c.pearsonR()), StudyOutputs.fmt(c.pearsonP()),
        StudyOutputs.fmt(c.spearmanR()), StudyOutputs.fmt(c.spearmanP())));
  }

  /**
   * The per-group table; for spiking cells without the curvature columns (lambda_max, 2/eta,
   * seen curvature: not defined there), its cosine being the one with spiking BPTT.
   */
  private static void table(StringBuilder md, StudySummary summary, String task,
      boolean spiking) {
    boolean train = summary.groups().stream().anyMatch(g -> g.trainLambdaMax().n() > 0);
    md.append("| rule | setting | ok / runs | diverged | stalled | gap mean ± sd [95% CI] |"
        + " gap at L* | accuracy gap | shifted gap |")
        .append(spiking ? " cos(g, ∇L_BPTT) |\n" : " λ_max mean ± sd [95% CI] |"
            + (train ? " λ_max (train batch) |" : "") + " λ_max at L* | 2/η |"
            + " runs above 2/η | c (seen) | cos(g, ∇L) |\n");
    md.append("|---|---|---|---|---|---|---|---|---|")
        .append(spiking ? "---|" : "---|---|---|---|---|---|" + (train ? "---|" : ""))
        .append('\n');
    for (GroupSummary g : summary.groups()) {
      if (!task.equals(g.task())) {
        continue;
      }
      md.append("| ").append(g.rule()).append(" | ").append(g.settingLabel())
          .append(" | ").append(g.ok()).append(" / ").append(g.runs()).append(" | ")
          .append(g.diverged()).append(" | ").append(g.stalled()).append(" | ")
          .append(stat(g.gap(), true)).append(" | ")
          .append(stat(g.matchedGap(), false)).append(" | ")
          .append(stat(g.accuracyGap(), false)).append(" | ")
          .append(stat(g.shiftedGap(), false)).append(" | ");
      if (!spiking) {
        md.append(stat(g.lambdaMax(), true)).append(" | ")
            .append(train ? stat(g.trainLambdaMax(), false) + " | " : "")
            .append(stat(g.matchedLambdaMax(), false)).append(" | ")
            .append(StudyOutputs.fmt(g.twoOverEta())).append(" | ")
            .append(g.aboveTwoOverEta()).append(" | ")
            .append(stat(g.seenCurvature(), false)).append(" | ");
      }
      md.append(stat(g.gradCosine(), false)).append(" |\n");
    }
  }

  private static String stat(MeanEstimate s, boolean ci) {
    if (s.n() == 0) {
      return "–";
    }
    String out = StudyOutputs.fmt(s.mean()) + " ± " + StudyOutputs.fmt(s.sd());
    return ci ? out + " [" + StudyOutputs.fmt(s.ciLo()) + ", " + StudyOutputs.fmt(s.ciHi()) + "]"
        : out;
  }
}
