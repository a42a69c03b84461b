package org.tca.rules.train;

import java.util.List;
import org.tca.rules.model.FloatParameters;

/**
 * The outcome of {@link Trainer#run}: status, where it stopped, the checkpoint trajectory and the
 * parameters. A diverged run keeps the last finite parameters when the loss or gradient went
 * non-finite (the update was not applied), or the non-finite ones when an update overflowed.
 *
 * @param status ok, diverged, incomplete or stalled
 * @param iterations iterations completed
 * @param divergedAt the iteration (0-based) whose loss, gradient or update was non-finite; -1
 * @param reason a sentence saying why a run diverged or stalled ("" otherwise)
 * @param trajectory the checkpoints, in order
 * @param parameters the parameters (the trainer's live object)
 * @param seconds wall time of this call (not part of the reproducible results)
 */
public record RunResult(RunStatus status, long iterations, long divergedAt, String reason,
    List<TrajectoryPoint> trajectory, FloatParameters parameters, double seconds) {

  /** Copies the trajectory list. */
  public RunResult {
    trajectory = List.copyOf(trajectory);
  }

  /** The last checkpoint, or null when there is none. */
  public TrajectoryPoint last() {
    return trajectory.isEmpty() ? null : trajectory.get(trajectory.size() - 1);
  }
}
