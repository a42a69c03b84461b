package org.tca.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tca.rules.train.ProgressListener;

/**
 * The training progress on stderr: in an interactive terminal a me.tongfei progress bar (with
 * the latest minibatch loss and an ETA); otherwise (a log file, nohup, Slurm) a start line and a
 * plain line each time another tenth of the iterations is done,
 * {@code tca train: [k0%] i/n iterations, loss L, elapsed M:SS, ETA M:SS}; nothing when quiet.
 */
final class TrainProgress implements ProgressListener, AutoCloseable {

  /** Plain lines per run when stderr is not a terminal: one per tenth of the iterations. */
  static final int LINES = 10;

  private final ProgressBar bar;
  private final PrintWriter log;
  private long lastMessage = -1;
  private long lastLine = -1;
  private long startIteration = -1;
  private long startNanos;

  private TrainProgress(ProgressBar bar, PrintWriter log) {
    this.bar = bar;
    this.log = log;
  }

  /**
   * A bar for {@code total} iterations in a terminal, plain lines on {@code err} otherwise, or a
   * silent listener when {@code quiet}.
   */
  static TrainProgress create(String name, long total, boolean quiet, PrintWriter err) {
    if (quiet) {
      return new TrainProgress(null, null);
    }
    if (!interactive()) {
      err.printf(Locale.ROOT, "tca train: %d iterations; a line per %d%% done follows%n",
          total, 100 / LINES);
      err.flush();
      return new TrainProgress(null, err);
    }
    ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setUnit(" it", 1)
        .showSpeed().build();
    return new TrainProgress(bar, null);
  }

  /** True when the JVM runs in an interactive terminal. */
  static boolean interactive() {
    java.io.Console c = System.console();
    return c != null && c.isTerminal();
  }

  @Override
  public void progress(long iteration, long total, double loss) {
    if (log != null) {
      line(iteration, total, loss);
    }
    if (bar == null) {
      return;
    }
    bar.stepTo(iteration);
    long now = System.nanoTime() / 200_000_000L;
    if (now != lastMessage) {
      lastMessage = now;
      bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4g", loss));
    }
  }

  /** A plain line when {@code iteration} completes another tenth of {@code total}. */
  private void line(long iteration, long total, double loss) {
    if (startIteration < 0) { // the first iteration of this process (a resumed run starts late)
      startIteration = iteration - 1;
      startNanos = System.nanoTime();
      lastLine = (iteration - 1) * LINES / total;
    }
    long tenth = iteration * LINES / total;
    if (tenth == lastLine) {
      return;
    }
    lastLine = tenth;
    double elapsed = (System.nanoTime() - startNanos) * 1e-9;
    long done = iteration - startIteration;
    log.printf(Locale.ROOT, "tca train: [%d%%] %d/%d iterations, loss %.4g, elapsed %s, ETA %s%n",
        tenth * 100 / LINES, iteration, total, loss, StudyProgress.clock(elapsed),
        StudyProgress.clock(elapsed / done * (total - iteration)));
    log.flush();
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
