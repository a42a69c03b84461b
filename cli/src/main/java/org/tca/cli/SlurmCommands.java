package org.tca.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds and runs Slurm's client commands ({@code sbatch}, {@code squeue}, {@code sacct}) on the
 * {@code PATH}, or in the directory named by the system property {@code tca.slurm.bin} when set
 * (tests put stand-ins there).
 */
final class SlurmCommands {

  /** What a command printed and its exit status. */
  record Result(int status, String out, String err) {
    /** The last non-blank line of stderr (else stdout), for one-line error messages. */
    String lastLine() {
      for (String text : List.of(err, out)) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (!lines.isEmpty()) {
          return lines.get(lines.size() - 1).strip();
        }
      }
      return "(no message)";
    }
  }

  private static final long TIMEOUT_SECONDS = 120;

  private SlurmCommands() {}

  /** The executable {@code name}, if found. */
  static Optional<Path> find(String name) {
    String bin = System.getProperty("tca.slurm.bin");
    String path = bin != null ? bin : System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      if (!d.isEmpty()) {
        Path p = Path.of(d, name);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** Runs {@code name args...} in {@code dir}; empty when the command is not found. */
  static Optional<Result> run(Path dir, String name, String... args)
      throws IOException, InterruptedException {
    Optional<Path> exe = find(name);
    if (exe.isEmpty()) {
      return Optional.empty();
    }
    List<String> cmd = new ArrayList<>(List.of(exe.get().toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
      try {
        return p.getErrorStream().readAllBytes();
      } catch (IOException e) {
        return new byte[0];
      }
    });
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(name + " did not answer within " + TIMEOUT_SECONDS + " s");
    }
    return Optional.of(new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
        new String(err.join(), StandardCharsets.UTF_8)));
  }
}
