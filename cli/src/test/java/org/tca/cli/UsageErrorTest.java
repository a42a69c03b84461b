package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user gets wrong on the command line (found walking through the README as printed): each
 * mistake is answered by exactly one line that names the flag or command, exit status 2, and
 * nothing written.
 */
class UsageErrorTest {

  @TempDir Path tmp;

  /** Exactly one line, "tca: ...", containing every one of {@code parts}; status 2. */
  static void assertOneLine(CliRun r, String... parts) {
    assertEquals(2, r.status(), r.toString());
    assertEquals("", r.out(), r.toString());
    List<String> lines = r.err().strip().lines().toList();
    assertEquals(1, lines.size(), r.toString());
    assertTrue(lines.get(0).startsWith("tca: "), r.toString());
    for (String p : parts) {
      assertTrue(lines.get(0).contains(p), "missing '" + p + "' in " + r);
    }
  }

  @Test
  void misspeltSubcommandIsNamedWithTheNearestOne() {
    Path out = tmp.resolve("out");
    assertOneLine(CliRun.tca("stdy", "--preset", "quick", "--out", out.toString()),
        "unknown command 'stdy'", "did you mean study", "see 'tca --help'");
    assertFalse(Files.exists(out));
  }

  @Test
  void misspeltOptionIsNamedWithTheNearestOne() {
    Path out = tmp.resolve("out");
    assertOneLine(CliRun.tca("study", "--preset", "quick", "--out", out.toString(), "--thread",
        "2"), "Unknown options: '--thread'", "did you mean --threads", "see 'tca study --help'");
    assertFalse(Files.exists(out));
  }

  @Test
  void missingRequiredOptionIsOneLine() {
    assertOneLine(CliRun.tca("train", "--task", "delayed-xor", "--rule", "eprop"),
        "Missing required option: '--out=DIR'", "see 'tca train --help'");
    assertOneLine(CliRun.tca("serve"), "'--dir=DIR'", "see 'tca serve --help'");
  }

  @Test
  void malformedNumberNamesTheFlag() {
    Path out = tmp.resolve("out");
    assertOneLine(CliRun.tca(TrainCommandTest.tinyTrain(out, "--iters", "ten")),
        "'--iters'", "'ten'");
    assertFalse(Files.exists(out));
  }

  @Test
  void badTrainingSettingNamesTheFlagTyped() {
    Path out = tmp.resolve("out");
    assertOneLine(CliRun.tca(TrainCommandTest.tinyTrain(out, "--iters", "-3")),
        "--iters must be >= 0, got -3");
    assertOneLine(CliRun.tca(TrainCommandTest.tinyTrain(out, "--checkpoints", "0")),
        "--checkpoints must be >= 1");
    assertOneLine(CliRun.tca(TrainCommandTest.tinyTrain(out, "--threads", "0")),
        "--threads must be >= 1");
    assertOneLine(CliRun.tca(TrainCommandTest.tinyTrain(out, "--eval-test", "-1")),
        "--eval-train and --eval-test must be >= 0");
    assertFalse(Files.exists(out));
    assertOneLine(CliRun.tca("bench", "--task", "delayed-xor", "--rule", "bptt", "--threads",
        "0"), "--threads must be >= 1");
  }

  @Test
  void helpListsEveryTaskAndEveryDefault() {
    for (String command : new String[] {"train", "gradient", "bench"}) {
      CliRun help = CliRun.tca(command, "--help");
      assertEquals(0, help.status(), help.toString());
      String flat = help.out().replaceAll("\\s+", " ");
      for (String task : org.tca.rules.task.Tasks.names()) {
        assertTrue(flat.contains(" " + task + ",") || flat.contains(" " + task + " ("), command + " --help misses task " + task
            + ":\n" + help.out());
      }
    }
    CliRun help = CliRun.tca("serve-bench", "--help");
    String flat = help.out().replaceAll("\\s+", " ");
    assertFalse(flat.contains("<"), "unlabelled parameter in\n" + help.out());
    assertTrue(flat.contains("Timed calls of each kind (default: 20000)")
        && flat.contains("first (default: 20000)"), help.out());
  }

  @Test
  void dryRunEstimateReadsInSecondsMinutesOrHours() {
    assertEquals("3 s", LeaderboardCommand.duration(3.2));
    assertEquals("0 s", LeaderboardCommand.duration(0.01));
    assertEquals("2.0 min", LeaderboardCommand.duration(120));
    assertEquals("4.9 h", LeaderboardCommand.duration(17_650));
  }
}
