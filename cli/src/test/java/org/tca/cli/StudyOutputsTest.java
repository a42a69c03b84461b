package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.study.RunRecord;
import org.tca.study.StudySpec;
import org.tca.study.StudySummary;

/**
 * The derived outputs of a study when things go wrong: figures that cannot be drawn (no fonts)
 * never cost the report, {@code --no-figures} skips them, and an output that cannot be written
 * is named with the advice to re-run.
 */
class StudyOutputsTest {

  @TempDir static Path tmp;
  static Path study;

  @BeforeAll
  static void runOnce() throws Exception {
    Path config = tmp.resolve("tiny.json");
    Files.writeString(config, StudyCommandTest.CONFIG.replace("[0, 1, 2]", "[0]"));
    study = tmp.resolve("study");
    CliRun r = CliRun.tca("study", "--config", config.toString(), "--out", study.toString(),
        "--threads", "1", "-q");
    assertEquals(0, r.status(), r.toString());
  }

  /** A copy of the study without its derived outputs. */
  private static Path runsOnly(String name) throws IOException {
    Path d = tmp.resolve(name);
    Files.createDirectories(d.resolve("runs"));
    Files.copy(study.resolve("spec.json"), d.resolve("spec.json"));
    try (var files = Files.list(study.resolve("runs"))) {
      for (Path f : files.toList()) {
        Files.copy(f, d.resolve("runs").resolve(f.getFileName()));
      }
    }
    return d;
  }

  /** What the JDK throws on a server without fonts, and what XChart's font lookups throw. */
  @Test
  void figuresThatCannotBeDrawnCostNothingElse() throws Exception {
    for (Throwable failure : List.of(new Error("Probable fatal error: No physical fonts found."),
        new RuntimeException("Fontconfig head is null"))) {
      Path d = runsOnly("no-fonts-" + failure.getClass().getSimpleName());
      StudySpec spec = StudyConfig.parse(JsonFiles.readTree(d.resolve("spec.json")), null);
      List<RunRecord> runs = ReportCommand.read(d, spec);
      StringWriter err = new StringWriter();
      StudyOutputs.FigureDrawer failing = (s, r, dir) -> {
        if (failure instanceof Error e) {
          throw e;
        }
        throw (RuntimeException) failure;
      };
      List<Path> figures = StudyOutputs.writeAll(d, spec, runs, StudySummary.of(runs), failing,
          new PrintWriter(err, true));
      assertEquals(List.of(), figures);
      for (String f : List.of("runs.csv", "summary.json", "report.md")) {
        assertTrue(Files.size(d.resolve(f)) > 0, f);
      }
      String report = Files.readString(d.resolve("report.md"));
      assertTrue(report.contains("Figures could not be drawn (" + failure + ")"), report);
      assertTrue(report.contains("### 1.") && report.contains("**Verdict:"), report);
      assertEquals(1, err.toString().lines().count(), err.toString());
      assertTrue(err.toString().startsWith("tca: warning: figures could not be drawn ("
          + failure + ")"), err.toString());
    }
  }

  @Test
  void noFiguresWritesEverythingElseAndExitsZero() throws Exception {
    Path d = runsOnly("no-figures");
    CliRun r = CliRun.tca("report", d.toString(), "--no-figures");
    assertEquals(0, r.status(), r.toString());
    assertFalse(Files.exists(d.resolve("figures")));
    assertTrue(Files.readString(d.resolve("report.md")).contains("Figures not drawn"
        + " (--no-figures); `tca report DIR` draws them."));
    assertTrue(r.out().contains("wrote " + d + "/{report.md, summary.json, runs.csv, runs/}"),
        r.out());
    assertEquals("", r.err());
    Path out = tmp.resolve("study-no-figures");
    Path config = tmp.resolve("tiny.json");
    r = CliRun.tca("study", "--config", config.toString(), "--out", out.toString(), "--threads",
        "1", "-q", "--no-figures");
    assertEquals(0, r.status(), r.toString());
    assertTrue(Files.isRegularFile(out.resolve("report.md")));
    assertFalse(Files.exists(out.resolve("figures")));
  }

  /** An output that cannot be written is named, with the advice that re-running completes. */
  @Test
  void anUnwritableOutputIsNamedAndReRunningCompletes() throws Exception {
    Path d = runsOnly("blocked");
    Files.createDirectories(d.resolve("report.md").resolve("in-the-way"));
    CliRun r = CliRun.tca("report", d.toString());
    assertEquals(1, r.status(), r.toString());
    assertEquals("tca: report failed: " + d.resolve("report.md") + ": Is a directory; fix that"
        + " (free disk space, a writable directory) and run the same command again: it completes"
        + " the outputs", r.err().strip());
    OutputDirectory.deleteTree(d.resolve("report.md"));
    try (var s = Files.list(d)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporaries");
    }
    r = CliRun.tca("report", d.toString());
    assertEquals(0, r.status(), r.toString());
    assertTrue(Files.size(d.resolve("report.md")) > 0);
  }

  /** A directory that is a file: the file in the way is named. */
  @Test
  void aFileWhereTheFiguresGoIsNamed() throws Exception {
    Path d = runsOnly("figures-file");
    Files.writeString(d.resolve("figures"), "not a directory");
    CliRun r = CliRun.tca("report", d.toString());
    assertEquals(1, r.status(), r.toString());
    assertEquals("tca: report failed: " + d.resolve("figures") + ": is in the way (it already"
        + " exists); fix that (free disk space, a writable directory) and run the same command"
        + " again: it completes the outputs", r.err().strip());
  }

  @Test
  void theFailureInTheCauseChainIsFound() {
    java.nio.file.FileSystemException f = new java.nio.file.FileSystemException("/x/y", null,
        "No space left on device");
    assertEquals(f, Main.fileFailure(new java.io.UncheckedIOException(
        new IOException("wrapped", f))));
    assertEquals(null, Main.fileFailure(new IOException("no file")));
  }
}
