package org.tca.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tca.rules.task.Task;
import org.tca.rules.train.TrajectoryPoint;

/** The leaderboard's means, counts and ranking rules on hand-made run records. */
class LeaderboardTest {

  @Test
  void ranksHigherFirstTiesShareTheirMeanPositionNaNLast() {
    assertArrayEquals(new double[] {1.5, 3, 1.5, 5, 4},
        Leaderboard.ranks(new double[] {0.9, 0.8, 0.9, Double.NaN, 0.7}));
    assertArrayEquals(new double[] {2.5, 1, 2.5},
        Leaderboard.ranks(new double[] {Double.NaN, 0.5, Double.NaN}));
    assertArrayEquals(new double[] {1.5, 1.5}, Leaderboard.ranks(new double[] {-0.0, 0.0}));
    assertArrayEquals(new double[] {2, 2, 2}, Leaderboard.ranks(new double[] {1, 1, 1}));
  }

  private static RunRecord run(String task, String rule, long seed, String status, double acc,
      double testLoss) {
    TrajectoryPoint p = new TrajectoryPoint(20, 0.005, 0.5, 0.9, testLoss, acc, Double.NaN,
        Double.NaN, 0, 0.5, 1, Map.of("lambda_max", 2.0 + seed, "grad_cosine", 0.5));
    return new RunRecord(task + "__" + rule + "__s" + seed, task, rule, seed, "lr0.005",
        "η = 0.005", 0.005, 20, org.tca.rules.train.RunStatus.parse(status), 20,
        status.equals("diverged") ? 10 : -1, "",
        List.of(p));
  }

  @Test
  void meansOverOkRunsScoresByAccuracyOrLossAndCombinesMeanRanks() throws Exception {
    StudySpec spec = LeaderboardPresets.create("tiny"); // delayed-xor, pattern x bptt, eprop, rflo
    Map<String, Task> tasks = spec.createTasks();
    List<RunRecord> runs = new ArrayList<>(List.of(
        run("delayed-xor", "bptt", 0, "ok", 0.9, 0.3),
        run("delayed-xor", "bptt", 1, "ok", 0.7, 0.4),
        run("delayed-xor", "eprop", 0, "ok", 0.8, 0.5),
        run("delayed-xor", "eprop", 1, "diverged", 0.99, 0.1), // counted, not averaged
        run("delayed-xor", "rflo", 0, "diverged", 0.99, 0.1),
        run("delayed-xor", "rflo", 1, "stalled", 0.99, 0.1),
        run("pattern", "bptt", 0, "ok", Double.NaN, 1.0),
        run("pattern", "eprop", 0, "ok", Double.NaN, 2.0),
        run("pattern", "rflo", 0, "ok", Double.NaN, 0.25),
        run("pattern", "rflo", 1, "ok", Double.NaN, 0.75)));
    Leaderboard lb = Leaderboard.of(spec, tasks, runs, (rule, task) -> rule.length());

    Leaderboard.Row bptt = lb.row("delayed-xor", "bptt");
    assertEquals(0.8, bptt.testAccuracy(), 1e-15);
    assertEquals(Math.sqrt(0.02), bptt.testAccuracySd(), 1e-15);
    assertEquals(2.5, bptt.lambdaMax(), 1e-15);
    assertEquals(4, bptt.stateBytesPerSample());
    Leaderboard.Row eprop = lb.row("delayed-xor", "eprop");
    assertEquals(0.8, eprop.testAccuracy(), 1e-15);
    assertEquals(List.of(2, 1, 1), List.of(eprop.runs(), eprop.ok(), eprop.diverged()));
    assertTrue(Double.isNaN(eprop.testAccuracySd()));
    Leaderboard.Row rflo = lb.row("delayed-xor", "rflo");
    assertEquals(List.of(2, 0, 1), List.of(rflo.runs(), rflo.ok(), rflo.diverged()));
    assertTrue(Double.isNaN(rflo.testAccuracy()));
    // equal mean accuracies tie; no ok run ranks last
    assertEquals(List.of(1.5, 1.5, 3.0), List.of(bptt.rank(), eprop.rank(), rflo.rank()));
    // regression: lower mean test loss ranks first (rflo 0.5, bptt 1, eprop 2)
    assertTrue(!lb.classification("pattern") && lb.classification("delayed-xor"));
    assertEquals(0.5, lb.row("pattern", "rflo").testLoss(), 1e-15);
    assertEquals(List.of(2.0, 3.0, 1.0), List.of(lb.row("pattern", "bptt").rank(),
        lb.row("pattern", "eprop").rank(), lb.row("pattern", "rflo").rank()));
    assertEquals(List.of("rflo", "bptt", "eprop"),
        lb.ranked("pattern").stream().map(Leaderboard.Row::rule).toList());
    // overall: mean ranks bptt 1.75, rflo 2, eprop 2.25
    assertEquals(List.of(new Leaderboard.Overall("bptt", 1.75, 1),
        new Leaderboard.Overall("rflo", 2.0, 2), new Leaderboard.Overall("eprop", 2.25, 3)),
        lb.overall());
  }

  @Test
  void equalMeanRanksShareAPositionInRuleOrder() throws Exception {
    StudySpec spec = LeaderboardPresets.create("tiny");
    List<RunRecord> runs = List.of(
        run("delayed-xor", "bptt", 0, "ok", 0.9, 0.3),
        run("delayed-xor", "eprop", 0, "ok", 0.6, 0.3),
        run("delayed-xor", "rflo", 0, "ok", 0.7, 0.3),
        run("pattern", "bptt", 0, "ok", Double.NaN, 3),
        run("pattern", "eprop", 0, "ok", Double.NaN, 1),
        run("pattern", "rflo", 0, "ok", Double.NaN, 2));
    Leaderboard lb = Leaderboard.of(spec, spec.createTasks(), runs, (rule, task) -> 0);
    // bptt 1 + 3, eprop 3 + 1, rflo 2 + 2: all mean 2, one shared position, rule order
    assertEquals(List.of(new Leaderboard.Overall("bptt", 2.0, 1),
        new Leaderboard.Overall("eprop", 2.0, 1), new Leaderboard.Overall("rflo", 2.0, 1)),
        lb.overall());
  }
}
