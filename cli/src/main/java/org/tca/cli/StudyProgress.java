package org.tca.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tca.study.RunRecord;
import org.tca.study.StudyRunner;

/**
 * The study's progress on stderr: a me.tongfei progress bar over all iterations of all runs
 * (with ETA and the count of finished runs) in an interactive terminal; otherwise one line per
 * finished run (none when quiet). Thread-safe.
 */
final class StudyProgress implements StudyRunner.Listener, AutoCloseable {

  private final PrintWriter err;
  private final boolean quiet;
  private final boolean bar;
  private final AtomicLong done = new AtomicLong();
  private final AtomicInteger finished = new AtomicInteger();
  private volatile ProgressBar progress;
  private volatile int runs;
  private volatile long total;
  private volatile long startDone;
  private volatile long startNanos;

  StudyProgress(PrintWriter err, boolean quiet) {
    this.err = err;
    this.quiet = quiet;
    this.bar = !quiet && TrainProgress.interactive();
  }

  @Override
  public void started(long totalIterations, long doneIterations, int runs, int already) {
    this.runs = runs;
    this.total = totalIterations;
    this.startDone = doneIterations;
    this.startNanos = System.nanoTime();
    done.set(doneIterations);
    if (bar) {
      progress = new ProgressBarBuilder().setTaskName("study").setInitialMax(totalIterations)
          .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setUnit(" it", 1)
          .startsFrom(doneIterations, java.time.Duration.ZERO).build();
      progress.setExtraMessage(" " + already + "/" + runs + " runs");
    } else if (!quiet) {
      err.printf(Locale.ROOT, "tca study: %d runs, %d already finished%s; a line per finished"
          + " run follows%n", runs, already, doneIterations > 0 ? ", resuming" : "");
      err.flush();
    }
  }

  @Override
  public void advanced(long iterations) {
    long d = done.addAndGet(iterations);
    ProgressBar p = progress;
    if (p != null && (d & 15) == 0) {
      p.stepTo(d);
    }
  }

  @Override
  public void finished(RunRecord r) {
    int n = finished.incrementAndGet();
    ProgressBar p = progress;
    if (p != null) {
      p.stepTo(done.get());
      p.setExtraMessage(" " + n + "/" + runs + " runs");
    } else if (!quiet) {
      synchronized (err) {
        err.printf(Locale.ROOT, "tca study: [%d/%d] %s %s, gap %.4g, %s%s%n", n,
            runs, r.id(), r.status().id(), r.gap(), lastMeasure(r), times());
        err.flush();
      }
    }
  }

  /** lambda_max for a rate-cell run; a spiking run has no curvature, so its test accuracy. */
  static String lastMeasure(RunRecord r) {
    return r.spiking()
        ? String.format(Locale.ROOT, "test accuracy %.4g", r.testAccuracy())
        : String.format(Locale.ROOT, "lambda_max %.4g", r.lambdaMax());
  }

  /** ", elapsed M:SS, ETA M:SS" from the iterations done in this process so far. */
  private String times() {
    double elapsed = (System.nanoTime() - startNanos) * 1e-9;
    long d = done.get() - startDone;
    long left = total - done.get();
    String eta = d <= 0 ? "?" : clock(elapsed / d * left);
    return ", elapsed " + clock(elapsed) + ", ETA " + eta;
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  @Override
  public void close() {
    if (progress != null) {
      progress.stepTo(done.get());
      progress.close();
    }
  }
}
