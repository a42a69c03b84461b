package org.tca.cli;

import java.io.PrintWriter;

/**
 * One line printed when the JVM is stopped (Ctrl-C, SIGTERM, a scheduler's kill) while a
 * resumable command works, saying that the same command resumes: a shutdown hook held for the
 * duration of the work, removed by {@link #close} when the work ends normally.
 */
final class InterruptHint implements AutoCloseable {

  private final Thread hook;

  private InterruptHint(Thread hook) {
    this.hook = hook;
  }

  /** Holds {@code line} until {@link #close}; prints it on {@code err} if the JVM stops first. */
  static InterruptHint hold(PrintWriter err, String line) {
    Thread hook = new Thread(() -> {
      err.println(line);
      err.flush();
    }, "tca-interrupt-hint");
    Runtime.getRuntime().addShutdownHook(hook);
    return new InterruptHint(hook);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is stopping: the hook runs (or has run) and says so
    }
  }
}
