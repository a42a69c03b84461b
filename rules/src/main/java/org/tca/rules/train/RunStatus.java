package org.tca.rules.train;

import java.util.List;
import java.util.Locale;

/**
 * How a run ended. A run that did all its iterations is {@link #OK} or {@link #STALLED}: with
 * L_0 the training-set data loss at the first checkpoint (iteration 0) and L_end the one at the
 * last checkpoint, it stalled when
 *
 * <pre>
 *   L_end >= L_0      (both finite; the first checkpoint at iteration 0, the last after it)
 * </pre>
 *
 * that is, training did not lower the training loss at all (e.g. a rate so large that the loss
 * bounces above where it started, lr 100 on delayed XOR: 0.70 -> 2.11 at chance accuracy). Like
 * a diverged run, a stalled run is counted and listed in a study but left out of every mean and
 * fit. Without a checkpoint at iteration 0 and a later one the rule cannot apply, and a finished
 * run is ok.
 */
public enum RunStatus {
  /** All iterations done and the training loss ended below where it started. */
  OK("ok"),
  /** Stopped because the loss, the gradient or the weights became NaN or infinite. */
  DIVERGED("diverged"),
  /** Stopped before the last iteration on request (e.g. to checkpoint and resume later). */
  INCOMPLETE("incomplete"),
  /** All iterations done, but the final training loss is not below the initial one. */
  STALLED("stalled");

  private final String id;

  RunStatus(String id) {
    this.id = id;
  }

  /** The name written to results files: "ok", "diverged", "incomplete" or "stalled". */
  public String id() {
    return id;
  }

  /**
   * The status whose {@link #id} is {@code id}.
   *
   * @throws IllegalArgumentException for any other string
   */
  public static RunStatus parse(String id) {
    for (RunStatus s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown run status '" + id + "'");
  }

  /** The status of a run that did all its iterations: {@link #STALLED} by the rule above, else ok. */
  public static RunStatus finished(List<TrajectoryPoint> trajectory) {
    return stallReason(trajectory).isEmpty() ? OK : STALLED;
  }

  /**
   * Why a finished run with this trajectory stalled ("train loss 2.11 at iteration 100 is not
   * below 0.70 at iteration 0"), or "" when it did not.
   */
  public static String stallReason(List<TrajectoryPoint> trajectory) {
    if (trajectory.size() < 2 || trajectory.get(0).iteration() != 0) {
      return "";
    }
    TrajectoryPoint first = trajectory.get(0);
    TrajectoryPoint last = trajectory.get(trajectory.size() - 1);
    double l0 = first.trainLoss();
    double end = last.trainLoss();
    if (!Double.isFinite(l0) || !Double.isFinite(end) || end < l0) {
      return "";
    }
    return String.format(Locale.ROOT, "stalled: train loss %.4g at iteration %d is not below %.4g"
        + " at iteration 0", end, last.iteration(), l0);
  }
}
