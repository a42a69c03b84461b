package org.tca.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of a study's Slurm submissions, {@code slurm/submissions.tsv}: one line
 * {@code JOB<TAB>TASK<TAB>RUN} per run submitted (array job JOB, array task TASK), appended after
 * each successful {@code sbatch} (the file is rewritten atomically).
 */
final class SlurmSubmissions {

  private SlurmSubmissions() {}

  static Path file(Path dir) {
    return dir.resolve("slurm").resolve("submissions.tsv");
  }

  /** Run id to the array task ({@code JOB_TASK}) of its latest submission. */
  static Map<String, String> read(Path dir) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    Path f = file(dir);
    if (Files.exists(f)) {
      for (String line : Files.readAllLines(f)) {
        String[] c = line.split("\t");
        if (c.length == 3) {
          m.put(c[2], c[0] + "_" + c[1]);
        }
      }
    }
    return m;
  }

  /** Records that array job {@code job} runs {@code chunks.get(i)} in its task i. */
  static void append(Path dir, String job, List<List<String>> chunks) throws IOException {
    Path f = file(dir);
    StringBuilder sb = new StringBuilder(Files.exists(f) ? Files.readString(f) : "");
    for (int i = 0; i < chunks.size(); i++) {
      for (String id : chunks.get(i)) {
        sb.append(job).append('\t').append(i).append('\t').append(id).append('\n');
      }
    }
    StudyOutputs.writeText(f, sb.toString());
  }
}
