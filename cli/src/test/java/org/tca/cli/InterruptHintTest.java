package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study stopped the way a user stops it (Ctrl-C or a scheduler's SIGTERM; here
 * {@link Process#destroy}, SIGTERM) says in one line how to resume, and a study that starts says
 * what it is about to do when stderr is a log rather than a terminal.
 */
class InterruptHintTest {

  private static final String HINT = "tca study: interrupted; run the same command again to"
      + " resume";

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void stoppedStudySaysHowToResume(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("kill.json");
    Files.writeString(config, StudyKillTest.CONFIG);
    Path out = tmp.resolve("study");
    String text = CliRun.stoppedChild(tmp.resolve("child.log"),
        () -> checkpointed(out.resolve("state")),
        "study", "--config", config.toString(), "--out", out.toString(), "--threads", "1");
    assertTrue(text.contains("tca study: 4 runs, 0 already finished; a line per finished run"
        + " follows"), text);
    assertTrue(text.strip().endsWith(HINT + " (finished runs are kept, the others continue from"
        + " their last checkpoint)"), text);
  }

  @Test
  void finishedStudyDoesNotClaimToBeInterrupted(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("tiny.json");
    Files.writeString(config, StudyKillTest.CONFIG.replace("\"iterations\": 600",
        "\"iterations\": 4"));
    CliRun r = CliRun.child(List.of(), "study", "--config", config.toString(), "--out",
        tmp.resolve("study").toString(), "--threads", "1", "--no-figures");
    assertTrue(r.status() == 0 && !r.out().contains("interrupted"), r.toString());
  }

  private static boolean checkpointed(Path state) {
    if (!Files.isDirectory(state)) {
      return false;
    }
    try (Stream<Path> s = Files.list(state)) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".state"));
    } catch (IOException e) { // the study is still creating it: not yet
      return false;
    }
  }
}
