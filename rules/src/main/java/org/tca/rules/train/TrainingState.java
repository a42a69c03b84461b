package org.tca.rules.train;

import java.util.List;
import java.util.Objects;
import org.tca.rules.optim.FloatOptimizerState;
import org.tca.rules.task.MinibatchSampler;

/**
 * Everything needed to continue a run exactly where it stopped: the parameters, the optimizer's
 * state, the iteration, the minibatch sampler's position (nothing is replayed), the running
 * interval statistics and the trajectory so far. {@link Trainer#restore} on a trainer
 * built from the same task, rule, model and {@link TrainerConfig} (checked through the
 * fingerprint) continues to bit-identical results. Saved and read by {@link TrainingStateFile}.
 *
 * @param fingerprint the trainer's {@link Trainer#fingerprint()}
 * @param iteration iterations done
 * @param updaterIteration the updater's step count
 * @param parameters the flat parameter array (a copy)
 * @param optimizer the optimizer's state
 * @param sampler the minibatch sampler's position
 * @param intervalLossSum sum of minibatch objectives since the last checkpoint
 * @param intervalCount number of them
 * @param lastGradientNorm gradient norm of the last update (NaN before the first)
 * @param status the run status at the time of the snapshot
 * @param divergedAt iteration of divergence or -1
 * @param reason why it diverged, or ""
 * @param trajectory the checkpoints so far
 */
public record TrainingState(String fingerprint, long iteration, long updaterIteration,
    float[] parameters, FloatOptimizerState optimizer, MinibatchSampler.State sampler,
    double intervalLossSum, long intervalCount,
    double lastGradientNorm, RunStatus status, long divergedAt, String reason,
    List<TrajectoryPoint> trajectory) {

  /** Checks and copies the collections. */
  public TrainingState {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(sampler, "sampler");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    trajectory = List.copyOf(trajectory);
  }
}
