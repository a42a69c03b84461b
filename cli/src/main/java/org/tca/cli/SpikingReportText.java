package org.tca.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.tca.numerics.stats.Descriptive;
import org.tca.rules.train.RunStatus;
import org.tca.rules.train.TrajectoryPoint;
import org.tca.study.RunRecord;

/**
 * The spiking part of a study report (a study with {@code spiking} cells): per rule and setting,
 * over its finished runs, the mean train / test accuracy at every checkpoint (accuracy over
 * training) and, at the last checkpoint, the accuracy gap acc_train - acc_test, the mean firing
 * rates on the evaluated train and test trials in Hz (spikes per step x 1000, dt = 1 ms) and
 * the cosine of the rule's update with the spiking BPTT gradient on the alignment batch.
 */
final class SpikingReportText {

  private SpikingReportText() {}

  /** The two tables for one task's runs. */
  static void append(StringBuilder md, List<RunRecord> runs) {
    Map<String, List<RunRecord>> groups = new LinkedHashMap<>();
    for (RunRecord r : runs) {
      if (r.status() == RunStatus.OK && !r.trajectory().isEmpty()) {
        groups.computeIfAbsent(r.rule() + " | " + r.settingLabel(), k -> new ArrayList<>())
            .add(r);
      }
    }
    if (groups.isEmpty()) {
      return;
    }
    md.append("\nSpiking cells, final checkpoint (mean ± sd over finished runs; firing rates"
        + " in Hz; cos(g, ∇L_BPTT): the rule's update against the spiking BPTT gradient):\n\n"
        + "| rule | setting | runs | train accuracy | test accuracy | accuracy gap |"
        + " train firing rate | test firing rate | cos(g, ∇L_BPTT) |\n"
        + "|---|---|---|---|---|---|---|---|---|\n");
    groups.forEach((key, rs) -> md.append("| ").append(key).append(" | ").append(rs.size())
        .append(" | ").append(stat(rs, RunRecord::trainAccuracy)).append(" | ")
        .append(stat(rs, RunRecord::testAccuracy)).append(" | ")
        .append(stat(rs, RunRecord::accuracyGap)).append(" | ")
        .append(stat(rs, r -> 1000 * r.trainFiringRate())).append(" | ")
        .append(stat(rs, r -> 1000 * r.testFiringRate())).append(" | ")
        .append(stat(rs, RunRecord::gradCosine)).append(" |\n"));
    int points = groups.values().stream().mapToInt(rs -> rs.get(0).trajectory().size()).max()
        .orElse(0);
    md.append("\nAccuracy over training, train / test (mean over finished runs; iteration in"
        + " brackets):\n\n| checkpoint |");
    groups.keySet().forEach(k -> md.append(' ').append(k.replace(" | ", ", ")).append(" |"));
    md.append("\n|---|").append("---|".repeat(groups.size())).append('\n');
    for (int i = 0; i < points; i++) {
      md.append("| ").append(i).append(" |");
      for (List<RunRecord> rs : groups.values()) {
        int at = i;
        List<TrajectoryPoint> ps = rs.stream().filter(r -> r.trajectory().size() > at)
            .map(r -> r.trajectory().get(at)).toList();
        md.append(ps.isEmpty() ? " – |" : " " + mean(ps, TrajectoryPoint::trainAccuracy) + " / "
            + mean(ps, TrajectoryPoint::testAccuracy) + " (" + ps.get(0).iteration() + ") |");
      }
      md.append('\n');
    }
  }

  private static String mean(List<TrajectoryPoint> ps, ToDoubleFunction<TrajectoryPoint> f) {
    return StudyOutputs.fmt(Descriptive.mean(ps.stream().mapToDouble(f).toArray()));
  }

  private static String stat(List<RunRecord> rs, ToDoubleFunction<RunRecord> f) {
    double[] v = rs.stream().mapToDouble(f).filter(Double::isFinite).toArray();
    if (v.length == 0) {
      return "–";
    }
    return StudyOutputs.fmt(Descriptive.mean(v)) + (v.length < 2 ? ""
        : " ± " + StudyOutputs.fmt(Descriptive.standardDeviation(v)));
  }
}
