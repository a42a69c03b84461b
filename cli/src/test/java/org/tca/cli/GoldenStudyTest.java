package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The derived outputs of two small studies are pinned byte for byte: {@code tca report} on their
 * run files ({@code cli/src/test/resources/golden-study/X}, written by {@code tca study --config
 * X/config.json --no-figures}) must write the runs.csv, summary.json and report.md, and print
 * the summary, that the code of the time wrote ({@code X/expected}). Study a: one task, four
 * settings (one boosted, one diverging), exact and bio rules; study b: two tasks, two settings,
 * Adam and tanh. Regenerate the expected files only for a deliberate change of the outputs.
 */
class GoldenStudyTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "b"})
  void reportRewritesTheOutputsOfTheOldCodeByteForByte(String study, @TempDir Path tmp)
      throws IOException {
    Path golden = Path.of(System.getProperty("tca.repository.root"), "cli", "src", "test",
        "resources", "golden-study", study);
    Path dir = tmp.resolve("study");
    Files.createDirectories(dir.resolve("runs"));
    Files.copy(golden.resolve("spec.json"), dir.resolve("spec.json"));
    try (Stream<Path> runs = Files.list(golden.resolve("runs"))) {
      for (Path r : runs.toList()) {
        Files.copy(r, dir.resolve("runs").resolve(r.getFileName()));
      }
    }
    CliRun r = CliRun.tca("report", dir.toString(), "--no-figures");
    assertEquals(0, r.status(), r.err());
    for (String f : new String[] {"runs.csv", "summary.json", "report.md"}) {
      assertEquals(Files.readString(golden.resolve("expected").resolve(f)),
          Files.readString(dir.resolve(f)), f);
    }
    assertEquals(Files.readString(golden.resolve("expected").resolve("stdout.txt")),
        r.out().replace(dir.toAbsolutePath().normalize().toString(), "DIR"), "stdout");
  }
}
