package org.tca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Runs tca in-process and captures its streams. */
record CliRun(int status, String out, String err) {

  static CliRun tca(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(status, out.toString(), err.toString());
  }

  /** Runs tca in a child JVM with this JVM's tca flags plus {@code jvmOptions}; output in out. */
  static CliRun child(List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = javaCommand(jvmOptions);
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new CliRun(p.waitFor(), out, "");
  }

  /**
   * Runs tca in a child JVM (output and errors to {@code log}), waits until {@code ready} holds,
   * stops it as Ctrl-C or a scheduler would (SIGTERM) and waits for it to end; returns the log.
   * Fails when the child ends before it is ready or does not end within a minute of the signal.
   */
  static String stoppedChild(java.nio.file.Path log, BooleanSupplier ready, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = javaCommand(List.of());
    cmd.addAll(List.of(args));
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      while (!ready.getAsBoolean()) {
        if (!child.isAlive()) {
          throw new AssertionError("the child ended before it could be stopped: "
              + java.nio.file.Files.readString(log));
        }
        Thread.sleep(5);
      }
      child.destroy();
      if (!child.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("the stopped child did not end");
      }
    } finally {
      child.destroyForcibly();
    }
    return java.nio.file.Files.readString(log);
  }

  /** java, this JVM's tca flags, {@code jvmOptions}, the class path and the main class. */
  static List<String> javaCommand(List<String> jvmOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    boolean vector = false;
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-modules") || arg.startsWith("--enable-native-access")
          || arg.startsWith("--sun-misc-unsafe-memory-access") || arg.startsWith("-Xss")) {
        cmd.add(arg);
        vector |= arg.contains("jdk.incubator.vector");
      }
    }
    if (!vector) {
      cmd.add("--add-modules=jdk.incubator.vector");
    }
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    return cmd;
  }

  /** The arguments joined, for assertion messages. */
  @Override
  public String toString() {
    return "status " + status + "\nout: " + out + "\nerr: " + err;
  }
}
