package org.tca.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Marks the outputs of a study that is not finished as partial: {@code summary.json} gets a
 * leading {@code "partial": {"finished": n, "planned": m}} and {@code report.md} a first line
 * saying how many runs it covers, so neither can pass for a finished study's.
 */
final class PartialReport {

  private PartialReport() {}

  /** The one-line notice. */
  static String notice(int finished, int planned) {
    return "PARTIAL: " + finished + " of " + planned + " runs finished; the statistics and"
        + " verdicts cover those only ('tca study status DIR' shows the rest)";
  }

  /** Marks {@code dir}'s summary.json and report.md as covering {@code finished} runs only. */
  static void mark(Path dir, int finished, int planned) throws IOException {
    Path summary = dir.resolve("summary.json");
    Map<String, Object> marked = new LinkedHashMap<>();
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("finished", finished);
    counts.put("planned", planned);
    marked.put("partial", counts);
    marked.putAll(JsonFiles.toMap(JsonFiles.readTree(summary)));
    JsonFiles.write(summary, marked);
    Path report = dir.resolve("report.md");
    StudyOutputs.writeText(report, "> **" + notice(finished, planned) + ".**\n\n"
        + Files.readString(report));
  }
}
