package org.tca.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tca.rules.train.RunStatus;
import org.tca.rules.train.TrajectoryPoint;

/** The matched-train-loss reading of a run's trajectory. */
class RunRecordTest {

  static TrajectoryPoint point(long it, double train, double test, double lam) {
    return new TrajectoryPoint(it, 0.1, train, 0.5, test, 0.5, Double.NaN, Double.NaN, 0, train,
        1, Map.of("lambda_max", lam));
  }

  static RunRecord run(String rule, TrajectoryPoint... points) {
    return run(rule, "ok", points);
  }

  static RunRecord run(String rule, String status, TrajectoryPoint... points) {
    return new RunRecord("t__" + rule, "t", rule, 0, "s", "s", 0.1, 100, RunStatus.parse(status),
        100, status.equals("diverged") ? 50 : -1, "", List.of(points));
  }

  /**
   * A spiking run (its checkpoints record firing rates) has no lambda_max and is usable on its
   * gap alone; a rate-cell run without a finite lambda_max is not; neither is a spiking run that
   * did not finish ok. On spiking runs the claims that need lambda_max are not testable, with
   * the reason, and claim 1 is tested.
   */
  @Test
  void spikingRunsAreUsableWithoutCurvatureAndTheirCurvatureClaimsAreNotTestable() {
    java.util.function.BiFunction<Double, Double, TrajectoryPoint> spiking = (train, test) ->
        new TrajectoryPoint(10, 0.1, train, 0.5, test, 0.5, Double.NaN, Double.NaN, 0, train, 1,
            Map.of("train_firing_rate", 0.01, "test_firing_rate", 0.012, "grad_cosine", 0.9));
    RunRecord s = run("eprop", spiking.apply(0.2, 0.5));
    assertTrue(s.spiking() && s.usable(), "spiking run usable without lambda_max");
    assertEquals(0.012, s.testFiringRate());
    RunRecord rate = run("eprop", point(10, 0.2, 0.5, Double.NaN));
    assertTrue(!rate.spiking() && !rate.usable(), "rate run needs a finite lambda_max");
    assertTrue(!run("eprop", "diverged", spiking.apply(0.2, 0.5)).usable());
    List<RunRecord> runs = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(run("bptt", spiking.apply(0.2, 0.4 + 0.01 * i)));
      runs.add(run("eprop", spiking.apply(0.2, 0.6 + 0.01 * i)));
    }
    List<Claim> claims = StudyClaims.evaluate(runs);
    assertEquals(3, claims.size());
    assertTrue(claims.get(0).verdict() != Verdict.NOT_TESTABLE, claims.get(0).text());
    for (Claim c : claims.subList(1, 3)) {
      assertEquals(Verdict.NOT_TESTABLE, c.verdict(), c.title());
      assertEquals(StudyClaims.NO_CURVATURE, c.text());
    }
  }

  @Test
  void gapAndLambdaAreInterpolatedWhereTheTrainLossFirstReachesTheLevel() {
    // Train loss 1.0 -> 0.6 -> 0.2 -> 0.4 (not monotone): level 0.5 is first reached between
    // checkpoints 0.6 and 0.2, at w = (0.6 - 0.5) / (0.6 - 0.2) = 0.25.
    RunRecord r = run("bptt", point(0, 1.0, 1.1, 1), point(10, 0.6, 0.9, 3),
        point(20, 0.2, 0.8, 7), point(30, 0.4, 1.0, 9));
    double[] at = r.atTrainLoss(0.5);
    double gapBefore = 0.9 - 0.6;
    double gapAfter = 0.8 - 0.2;
    assertEquals(gapBefore + 0.25 * (gapAfter - gapBefore), at[0], 1e-15);
    assertEquals(3 + 0.25 * (7 - 3), at[1], 1e-15);
    assertEquals(0.2, r.bestTrainLoss());
    double[] start = r.atTrainLoss(2.0);
    assertEquals(1.1 - 1.0, start[0], 1e-15);
    assertEquals(1, start[1]);
    assertTrue(Double.isNaN(r.atTrainLoss(0.1)[0]), "never reached");
  }

  @Test
  void theMatchedLevelIsTheLoosestBestLossSoEveryRunReachesIt() {
    RunRecord a = run("bptt", point(0, 1.0, 1.1, 1), point(10, 0.1, 0.5, 3));
    RunRecord b = run("eprop", point(0, 1.0, 1.1, 1), point(10, 0.3, 0.6, 3));
    double level = StudyClaims.matchedLevel(List.of(a, b));
    assertEquals(0.3, level);
    assertTrue(Double.isFinite(a.atTrainLoss(level)[0]));
    assertTrue(Double.isFinite(b.atTrainLoss(level)[0]));
  }

  /** Stalled runs are counted and listed like diverged ones, and left out of every mean. */
  @Test
  void stalledRunsAreCountedListedAndNotAveraged() {
    RunRecord ok = run("bptt", point(0, 1.0, 1.1, 1), point(10, 0.2, 0.5, 3));
    RunRecord stalled = run("bptt", "stalled", point(0, 0.7, 0.7, 1), point(10, 2.1, 2.5, 90));
    RunRecord diverged = run("bptt", "diverged", point(0, 0.7, 0.7, 1));
    assertTrue(stalled.stalled() && !stalled.usable() && !stalled.diverged());
    StudySummary s = StudySummary.of(List.of(ok, stalled, diverged));
    assertEquals(1L, s.ok());
    assertEquals(1L, s.stalled());
    assertEquals(1L, s.diverged());
    assertEquals(1L, s.usable());
    GroupSummary g = s.groups().get(0);
    assertEquals(1L, g.stalled());
    assertEquals(List.of("t__bptt"), g.stalledRuns());
    assertEquals(1, g.gap().n());
    assertEquals(0.3, g.gap().mean(), 1e-15);
  }
}
