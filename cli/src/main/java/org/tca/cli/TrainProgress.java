package org.tca.cli;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tca.rules.train.ProgressListener;

/**
 * The training progress bar on stderr (me.tongfei progressbar, with the latest minibatch loss
 * and an ETA), shown only when enabled and stderr is an interactive terminal; otherwise a no-op.
 */
final class TrainProgress implements ProgressListener, AutoCloseable {

  private final ProgressBar bar;
  private long lastMessage = -1;

  private TrainProgress(ProgressBar bar) {
    this.bar = bar;
  }

  /** A bar for {@code total} iterations, or a silent listener when {@code quiet} or no terminal. */
  static TrainProgress create(String name, long total, boolean quiet) {
    if (quiet || !interactive()) {
      return new TrainProgress(null);
    }
    ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setUnit(" it", 1)
        .showSpeed().build();
    return new TrainProgress(bar);
  }

  /** True when the JVM runs in an interactive terminal. */
  static boolean interactive() {
    java.io.Console c = System.console();
    return c != null && c.isTerminal();
  }

  @Override
  public void progress(long iteration, long total, double loss) {
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

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
