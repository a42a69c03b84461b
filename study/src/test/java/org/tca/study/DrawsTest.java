package org.tca.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tca.numerics.stats.Distributions;
import org.tca.rules.train.RunStatus;
import org.tca.rules.train.TrajectoryPoint;

/** The training-set draw axis: expansion of the tasks, and claims per draw and across draws. */
class DrawsTest {

  @Test
  void drawsExpandEachTaskAndSplitBack() {
    StudySpec s = StudyRunnerTest.tiny().toBuilder().tasks(List.of(StudyTasksTest.XOR,
        StudyTask.of("smnist", Map.of("data", "x")))).draws(List.of(1L, 2L)).build();
    assertEquals(List.of("delayed-xor.d1", "delayed-xor.d2", "smnist.d1", "smnist.d2"),
        s.tasks().stream().map(StudyTask::id).toList());
    assertEquals("2", s.task("delayed-xor.d2").params().get("seed"));
    assertEquals("1", s.task("smnist.d1").params().get("draw"));
    assertEquals("delayed-xor", Draws.base("delayed-xor.d2"));
    // back to a builder and built again: the same spec, not draws of draws
    assertEquals(s, s.toBuilder().build());
    assertEquals(s.tasks().subList(0, 2),
        s.toBuilder().tasks(List.of(StudyTasksTest.XOR)).build().tasks());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> s.toBuilder().draws(List.of(1L, 1L)).build());
    assertTrue(e.getMessage().startsWith("draws:"), e.getMessage());
  }

  @Test
  void theQuickPresetRunsThreeDrawsOfThreeSeeds() {
    StudySpec q = StudyPresets.create("quick", null);
    assertEquals(List.of("delayed-xor.d0", "delayed-xor.d1", "delayed-xor.d2"),
        q.tasks().stream().map(StudyTask::id).toList());
    assertEquals(3, q.seeds().size());
    assertEquals(36, q.plans().size());
  }

  private static RunRecord run(String task, String rule, int seed, double gap) {
    List<TrajectoryPoint> t = List.of(point(0, 0.69, 0.69), point(100, 0.01, 0.01 + gap));
    return new RunRecord(task + "__" + rule + "__s__s" + seed, task, rule, seed, "s", "s", 0.1,
        100, RunStatus.OK, 100, -1, "", t);
  }

  private static TrajectoryPoint point(long it, double train, double test) {
    return new TrajectoryPoint(it, 0.1, train, 0.5, test, 0.5, Double.NaN, Double.NaN, 0, train,
        1, Map.of("lambda_max", 5.0, "two_over_eta", 20.0));
  }

  private static final double[] EXACT = {0.10, 0.11, 0.12};
  private static final double[] BIO = {0.25, 0.30, 0.35};
  private static final double[] BIO_SMALL = {0.05, 0.07, 0.09};

  /** Draws 0 and 1: a larger, more variable bio gap; draw 2: a smaller one. */
  private static List<RunRecord> twoOfThree() {
    List<RunRecord> out = new ArrayList<>();
    for (int d = 0; d < 3; d++) {
      for (int s = 0; s < 3; s++) {
        out.add(run("x.d" + d, "bptt", s, EXACT[s]));
        out.add(run("x.d" + d, "eprop", s, (d < 2 ? BIO : BIO_SMALL)[s]));
      }
    }
    return out;
  }

  /** One draw's one-sided Welch p-value of mean(bio) &gt; mean(exact), by the formulas. */
  private static double oneSided(double[] b, double[] e) {
    double vb = variance(b) / 3;
    double ve = variance(e) / 3;
    double t = (mean(b) - mean(e)) / Math.sqrt(vb + ve);
    double df = (vb + ve) * (vb + ve) / (vb * vb / 2 + ve * ve / 2);
    return 1 - Distributions.studentTCdf(t, df);
  }

  private static double mean(double[] x) {
    return (x[0] + x[1] + x[2]) / 3;
  }

  private static double variance(double[] x) {
    double m = mean(x);
    return ((x[0] - m) * (x[0] - m) + (x[1] - m) * (x[1] - m) + (x[2] - m) * (x[2] - m)) / 2;
  }

  @Test
  void aClaimThatHoldsInTwoOfThreeDrawsSaysSoAndIsCombined() {
    StudySummary sum = StudySummary.of(twoOfThree());
    assertEquals(3, sum.tasks().size());
    assertEquals(Verdict.SUPPORTED, sum.tasks().get(0).claims().get(0).verdict());
    assertEquals(Verdict.NOT_SUPPORTED, sum.tasks().get(2).claims().get(0).verdict());
    Claim c1 = sum.claims().get(0);
    double p = oneSided(BIO, EXACT);
    double z = (-2 * Distributions.normalQuantile(p)
        - Distributions.normalQuantile(oneSided(BIO_SMALL, EXACT))) / Math.sqrt(3);
    double combined = 1 - Distributions.normalCdf(z);
    Verdict expected = combined < StudyClaims.ALPHA ? Verdict.SUPPORTED : Verdict.DIRECTION_ONLY;
    assertEquals(new ClaimVerdict.AcrossDraws(2, 3, expected), c1.verdict());
    assertTrue(c1.verdict().text().startsWith("supported in 2 of 3 draws; combined: "),
        c1.verdict().text());
    assertTrue(c1.text().contains("supported in 2 of 3 draws (3 of 3 could test it)"),
        c1.text());
    assertTrue(c1.text().contains("fragile"), c1.text());
    assertTrue(c1.text().contains(String.format(Locale.ROOT, "Z = %.3f, p = %.3g", z, combined)),
        c1.text() + " expected Z " + z + " p " + combined);
    assertTrue(c1.text().contains("x.d0: supported; x.d1: supported; x.d2: not supported."), c1.text());
    // beside a task on two draws that supports it in neither: 1 of 2 tasks when x's combined
    // test supports it
    List<RunRecord> two = new ArrayList<>(twoOfThree());
    twoOfThree().stream().filter(r -> r.task().equals("x.d2")).forEach(r -> {
      for (String y : List.of("y.d0", "y.d1")) {
        two.add(run(y, r.rule(), (int) r.seed(), r.gap()));
      }
    });
    Claim both = StudySummary.of(two).claims().get(0);
    assertEquals(new ClaimVerdict.Mixed(expected == Verdict.SUPPORTED ? 1 : 0, 2),
        both.verdict(), both.text());
  }

  @Test
  void drawsThatAgreeAreNotFragile() {
    List<RunRecord> runs = twoOfThree().stream().filter(r -> !r.task().equals("x.d2")).toList();
    Claim c1 = StudySummary.of(runs).claims().get(0);
    assertTrue(c1.verdict().text().startsWith("supported in 2 of 2 draws"), c1.verdict().text());
    assertTrue(!c1.text().contains("fragile"), c1.text());
  }
}
