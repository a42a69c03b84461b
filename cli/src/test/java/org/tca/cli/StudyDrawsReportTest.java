package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.rules.train.RunStatus;
import org.tca.rules.train.TrajectoryPoint;
import org.tca.study.RunRecord;
import org.tca.study.StudySpec;
import org.tca.study.StudySpecBuilder;
import org.tca.study.StudySummary;
import org.tca.study.StudyTask;

/** A study on three training-set draws: the report says in how many draws each claim holds. */
class StudyDrawsReportTest {

  /** bptt gaps 0.10-0.12; eprop 0.25-0.35 on draws 0 and 1, 0.05-0.09 on draw 2. */
  private static List<RunRecord> runs() {
    List<RunRecord> out = new ArrayList<>();
    for (int d = 0; d < 3; d++) {
      for (int s = 0; s < 3; s++) {
        out.add(run("x.d" + d, "bptt", s, 0.10 + 0.01 * s));
        out.add(run("x.d" + d, "eprop", s, d < 2 ? 0.25 + 0.05 * s : 0.05 + 0.02 * s));
      }
    }
    return out;
  }

  private static RunRecord run(String task, String rule, int seed, double gap) {
    List<TrajectoryPoint> t = List.of(point(0, 0.69), point(100, 0.01, 0.01 + gap));
    return new RunRecord(task + "__" + rule + "__s__s" + seed, task, rule, seed, "s", "s", 0.1,
        100, RunStatus.OK, 100, -1, "", t);
  }

  private static TrajectoryPoint point(long it, double loss) {
    return point(it, loss, loss);
  }

  private static TrajectoryPoint point(long it, double train, double test) {
    return new TrajectoryPoint(it, 0.1, train, 0.5, test, 0.5, Double.NaN, Double.NaN, 0, train,
        1, Map.of("lambda_max", 5.0, "two_over_eta", 20.0));
  }

  @Test
  void theReportSaysSupportedInTwoOfThreeDraws(@TempDir Path dir) {
    StudySpec spec = new StudySpecBuilder()
        .tasks(List.of(new StudyTask("x", "delayed-xor", Map.of())))
        .draws(List.of(0L, 1L, 2L)).build();
    assertEquals(3, spec.tasks().size());
    List<RunRecord> runs = runs();
    String md = StudyReportText.markdown(spec, runs, StudySummary.of(runs), Map.of(), null, dir);
    assertTrue(md.contains("| claim | x.d0 | x.d1 | x.d2 | across draws |"), md);
    assertTrue(md.contains("### Claims across the training-set draws"), md);
    assertTrue(md.contains("**1. Bio-plausible rules reach a worse and more variable"
        + " generalization gap: supported in 2 of 3 draws; combined: "), md);
    assertTrue(md.contains("fragile in this regime"), md);
    assertTrue(md.contains("How robust are the verdicts? Fragile: claim 1 is supported in 2 of 3"
        + " draws only; combined over the draws: "), md);
    Map<String, Object> json = SummaryJson.of(StudySummary.of(runs));
    assertEquals(StudySummary.of(runs).robustness(), json.get("robustness"));
    @SuppressWarnings("unchecked")
    Map<String, Object> c1 = ((List<Map<String, Object>>) json.get("claims")).get(0);
    assertEquals(2, c1.get("draws_supported"));
    assertEquals(3, c1.get("draws_tested"));
    assertTrue(c1.get("combined") instanceof String, String.valueOf(c1));
  }
}
