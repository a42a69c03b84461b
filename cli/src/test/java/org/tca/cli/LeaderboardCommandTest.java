package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end checks of {@code tca leaderboard} on the tiny preset: the three outputs exist and
 * agree with runs.csv, and a resumed leaderboard (some runs deleted, other threads) writes the
 * same leaderboard.csv apart from the steps/s column.
 */
class LeaderboardCommandTest {

  @TempDir static Path tmp;
  static Path whole;
  static CliRun first;

  @BeforeAll
  static void runOnce() {
    whole = tmp.resolve("whole");
    first = CliRun.tca("leaderboard", "--preset", "tiny", "--out", whole.toString(),
        "--threads", "2", "-q");
  }

  static List<Map<String, String>> csv(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    List<String> head = Arrays.asList(lines.get(0).split(","));
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      // runs.csv quotes setting labels with commas; the tiny preset has none
      String[] cells = line.split(",", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < head.size(); i++) {
        row.put(head.get(i), cells[i]);
      }
      rows.add(row);
    }
    return rows;
  }

  @Test
  void writesTheThreeOutputsConsistentWithRunsCsv() throws Exception {
    assertEquals(0, first.status(), first.toString());
    for (String f : List.of("leaderboard.csv", "leaderboard.md", "runs.csv",
        "figures/leaderboard_accuracy.png", "figures/leaderboard_accuracy.svg",
        "figures/leaderboard_gap.png", "figures/leaderboard_lambda_max.svg")) {
      assertTrue(Files.size(whole.resolve(f)) > 0, f);
    }
    List<Map<String, String>> runs = csv(whole.resolve("runs.csv"));
    List<Map<String, String>> board = csv(whole.resolve("leaderboard.csv"));
    assertEquals(LeaderboardOutputs.CSV_HEADER, List.copyOf(board.get(0).keySet()));
    assertEquals(6, board.size()); // 2 tasks x 3 rules
    for (Map<String, String> row : board) {
      List<Map<String, String>> mine = runs.stream().filter(r -> r.get("task")
          .equals(row.get("task")) && r.get("rule").equals(row.get("rule"))).toList();
      List<Map<String, String>> ok = mine.stream().filter(r -> r.get("status").equals("ok"))
          .toList();
      assertEquals(mine.size(), Integer.parseInt(row.get("runs")));
      assertEquals(ok.size(), Integer.parseInt(row.get("ok")));
      assertEquals(mine.stream().filter(r -> r.get("status").equals("diverged")).count(),
          Long.parseLong(row.get("diverged")));
      for (String metric : List.of("test_accuracy", "test_loss", "gap", "lambda_max",
          "grad_cosine")) {
        double[] v = ok.stream().mapToDouble(r -> Double.parseDouble(r.get(metric)))
            .filter(Double::isFinite).toArray();
        double mean = v.length == 0 ? Double.NaN : Arrays.stream(v).sum() / v.length;
        double got = Double.parseDouble(row.get(metric + "_mean"));
        if (Double.isNaN(mean)) {
          assertTrue(Double.isNaN(got), row + " " + metric);
        } else {
          assertEquals(mean, got, 1e-12 * Math.max(1, Math.abs(mean)), row + " " + metric);
        }
      }
      assertTrue(Double.parseDouble(row.get("steps_per_second")) > 0, row.toString());
      assertTrue(Long.parseLong(row.get("state_bytes_per_sample")) > 0, row.toString());
    }
    String md = Files.readString(whole.resolve("leaderboard.md"));
    assertTrue(md.contains("## Overall") && md.contains("## delayed-xor (ranked by test"
        + " accuracy)") && md.contains("## pattern (ranked by test loss)")
        && md.contains("Best overall: **") && md.contains("machine figure"), md);
  }

  @Test
  void aResumedLeaderboardIsIdenticalApartFromStepsPerSecond() throws Exception {
    assertEquals(0, first.status(), first.toString());
    Path again = tmp.resolve("again");
    CliRun one = CliRun.tca("leaderboard", "--preset", "tiny", "--out", again.toString(),
        "--threads", "1", "-q", "--no-timing", "--no-figures");
    assertEquals(0, one.status(), one.toString());
    // lose half the runs and the leaderboard, then resume on another thread count
    try (var files = Files.list(again.resolve("runs"))) {
      List<Path> runFiles = files.sorted().toList();
      for (int i = 0; i < runFiles.size(); i += 2) {
        Files.delete(runFiles.get(i));
      }
    }
    Files.delete(again.resolve("leaderboard.csv"));
    CliRun resumed = CliRun.tca("leaderboard", "--preset", "tiny", "--out", again.toString(),
        "--threads", "2", "-q", "--no-figures");
    assertEquals(0, resumed.status(), resumed.toString());
    assertEquals(withoutSteps(whole.resolve("leaderboard.csv")),
        withoutSteps(again.resolve("leaderboard.csv")));
  }

  private static List<String> withoutSteps(Path file) throws Exception {
    return Files.readAllLines(file).stream().map(l -> l.substring(0, l.lastIndexOf(',')))
        .toList();
  }

  @Test
  void theSmokePresetWritesTheThreeOutputs() throws Exception {
    Path dir = tmp.resolve("smoke");
    CliRun r = CliRun.tca("leaderboard", "--preset", "smoke", "--out", dir.toString(), "-q");
    assertEquals(0, r.status(), r.toString());
    assertEquals(1 + 3 * 6, Files.readAllLines(dir.resolve("leaderboard.csv")).size());
    assertTrue(Files.readString(dir.resolve("leaderboard.md")).contains("Best overall: **"));
    for (String f : List.of("accuracy", "gap", "lambda_max")) {
      assertTrue(Files.size(dir.resolve("figures/leaderboard_" + f + ".png")) > 0, f);
    }
  }

  @Test
  void anUnknownPresetIsAUsageError() {
    CliRun r = CliRun.tca("leaderboard", "--preset", "nope", "--out", tmp.resolve("x")
        .toString());
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("unknown leaderboard preset 'nope'"), r.err());
    assertTrue(!Files.exists(tmp.resolve("x")));
  }
}
