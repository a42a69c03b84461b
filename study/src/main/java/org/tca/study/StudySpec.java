package org.tca.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.rules.curvature.BlockSelection;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.model.Block;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.OptimizerSettings;
import org.tca.rules.spiking.FloatSpikingRules;
import org.tca.rules.task.Task;
import org.tca.rules.task.TaskKind;

/**
 * Everything a study runs: a grid of tasks x rules x learning-rate settings x seeds, the model
 * (a voltage-leak RNN with a = exp(-1/tau), or a = 0 when tau is NaN), the training and the
 * measurements (lambda_max of the {@code curvatureBlocks} Hessian on a held-out batch at every
 * checkpoint, the cosine to the true gradient on a fixed training batch, the seen-curvature c at
 * the last checkpoint). Immutable and validated: every bad value is an
 * {@link IllegalArgumentException} whose message names the field by its config key.
 *
 * @param name study name
 * @param description one sentence on what it shows
 * @param tasks the tasks (each with its id and parameters), in display order
 * @param rules learning rules, in display order
 * @param seeds run seeds
 * @param settings learning-rate settings; the first is the baseline
 * @param iterations iterations of rules not in {@code ruleIterations}
 * @param ruleIterations per-rule iterations
 * @param hidden N
 * @param tau leak time constant in steps (NaN: a = 0)
 * @param l2 L2 coefficient
 * @param activation f
 * @param optimizer the optimizer (its kind with default hyper-parameters)
 * @param batch B
 * @param checkpoints evaluation checkpoints (both ends included)
 * @param curvatureBlocks Hessian block spec, e.g. "W_rec" or "all"
 * @param heldOut trials in the held-out curvature batch (validation set, else test set)
 * @param curvatureTolerance Lanczos relative residual tolerance
 * @param curvatureMaxIterations cap on Lanczos products per checkpoint
 * @param alignmentBatch training trials of the gradient-alignment batch (0: not measured)
 * @param evalTrain training trials evaluated at checkpoints (0: all)
 * @param evalTest test trials evaluated (0: all)
 * @param window tbptt window
 * @param kernels the kernels of every run
 * @param untilTrainLoss train to a loss (config key {@code until_train_loss}): each run ends at
 *     the first checkpoint whose train loss is at most this, or at its iteration cap (NaN: off,
 *     every run does all its iterations)
 * @param trainCurvature also measure lambda_max on a batch of {@code heldOut} training trials
 *     (the first ones), as probe metric {@code train_lambda_max} (config key
 *     {@code train_curvature})
 * @param spiking the spiking network when the study trains spiking cells (config key
 *     {@code spiking}), null for rate cells: rules then come from {@code FloatSpikingRules},
 *     activation and the curvature keys are unused, no curvature is measured (the Hessian of a
 *     network of Heaviside spikes is not defined), and a tau (the study's or a task's) is
 *     refused: the rate cells' leak has no meaning there (spiking.tau_m is the membrane's)
 */
public record StudySpec(String name, String description, List<StudyTask> tasks,
    List<String> rules, List<Long> seeds, List<Setting> settings, long iterations,
    Map<String, Long> ruleIterations, int hidden, double tau, double l2, Activation activation,
    OptimizerSettings optimizer, int batch, int checkpoints, String curvatureBlocks, int heldOut,
    double curvatureTolerance, int curvatureMaxIterations, int alignmentBatch, int evalTrain,
    int evalTest, int window, KernelChoice kernels, double untilTrainLoss,
    boolean trainCurvature, StudySpiking spiking) {

  /** Validates every field. */
  public StudySpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    tasks = List.copyOf(tasks);
    rules = List.copyOf(rules);
    seeds = List.copyOf(seeds);
    settings = List.copyOf(settings);
    ruleIterations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ruleIterations));
    require(!tasks.isEmpty(), "tasks: at least one task is needed");
    require(tasks.stream().map(StudyTask::id).distinct().count() == tasks.size(),
        "tasks: two tasks have the same id (give them distinct 'id's)");
    require(!rules.isEmpty(), "rules: at least one rule is needed");
    require(rules.stream().distinct().count() == rules.size(), "rules: a rule is listed twice");
    for (String r : rules) {
      try {
        if (spiking == null) {
          FloatRules.entry(r);
        } else {
          FloatSpikingRules.entry(r);
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("rules: " + e.getMessage());
      }
    }
    require(!seeds.isEmpty(), "seeds: at least one seed is needed");
    require(seeds.stream().distinct().count() == seeds.size(), "seeds: a seed is listed twice");
    require(!settings.isEmpty(), "learning_rates/settings: at least one is needed");
    require(settings.stream().map(Setting::id).distinct().count() == settings.size(),
        "settings: two settings have the same id");
    for (Setting s : settings) {
      for (String r : s.rules()) {
        require(rules.contains(r), "settings: setting " + s.id() + " names rule '" + r
            + "' that is not in rules");
      }
    }
    require(iterations >= 1, "iterations must be >= 1, got " + iterations);
    for (Map.Entry<String, Long> e : ruleIterations.entrySet()) {
      require(rules.contains(e.getKey()), "rule_iterations: '" + e.getKey()
          + "' is not in rules");
      require(e.getValue() >= 1, "rule_iterations: " + e.getKey() + " must be >= 1");
    }
    require(hidden >= 1, "hidden must be >= 1, got " + hidden);
    require(Double.isNaN(tau) || tau > 0, "tau must be > 0 (or absent for a = 0), got " + tau);
    require(l2 >= 0 && Double.isFinite(l2), "l2 must be finite and >= 0, got " + l2);
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(kernels, "kernels");
    require(batch >= 1, "batch must be >= 1, got " + batch);
    require(checkpoints >= 2, "checkpoints must be >= 2, got " + checkpoints);
    try {
      BlockSelection.parseBlocks(curvatureBlocks);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("curvature_blocks: " + e.getMessage());
    }
    require(heldOut >= 1, "held_out must be >= 1, got " + heldOut);
    require(curvatureTolerance > 0, "curvature_tolerance must be > 0");
    require(curvatureMaxIterations >= 2, "curvature_max_iterations must be >= 2");
    require(alignmentBatch >= 0, "alignment_batch must be >= 0");
    require(evalTrain >= 0 && evalTest >= 0, "eval_train and eval_test must be >= 0");
    require(window >= 1, "window must be >= 1");
    require(Double.isNaN(untilTrainLoss) || untilTrainLoss >= 0 && untilTrainLoss < 1e300,
        "until_train_loss must be a finite loss >= 0 (or absent), got " + untilTrainLoss);
    require(spiking == null || !trainCurvature,
        "train_curvature: curvature is not defined for spiking cells");
    require(spiking == null || Double.isNaN(tau), "tau is the rate cells' leak time constant"
        + " and spiking cells do not use it: remove it (or set it to null) and set"
        + " spiking.tau_m, the membrane time constant");
    for (StudyTask t : tasks) {
      require(spiking == null || t.tau() == null, "tasks: task " + t.id() + ": tau is the rate"
          + " cells' leak time constant and spiking cells do not use it: remove it and set"
          + " spiking.tau_m, the membrane time constant");
    }
  }

  /** Whether the study trains spiking cells ({@link #spiking} is set). */
  public boolean isSpiking() {
    return spiking != null;
  }

  /** Whether runs train to a loss ({@link #untilTrainLoss}). */
  public boolean trainsToLoss() {
    return !Double.isNaN(untilTrainLoss);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Iterations of {@code rule}. */
  public long iterationsOf(String rule) {
    return ruleIterations.getOrDefault(rule, iterations);
  }

  /** The grid, in order: task, then setting, then rule, then seed. */
  public List<RunPlan> plans() {
    List<RunPlan> out = new ArrayList<>();
    for (StudyTask t : tasks) {
      for (Setting s : settings) {
        for (String r : rules) {
          if (s.applies(r)) {
            for (long seed : seeds) {
              out.add(RunPlan.of(t, r, s, seed, iterationsOf(r)));
            }
          }
        }
      }
    }
    return out;
  }

  /** The task with id {@code id}. */
  public StudyTask task(String id) {
    return tasks.stream().filter(t -> t.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no task '" + id + "' in this study"));
  }

  /** The kernels runs use. */
  public FloatKernels floatKernels() {
    return kernels.f32();
  }

  /** The Hessian blocks. */
  public Set<Block> blocks() {
    return BlockSelection.parseBlocks(curvatureBlocks);
  }

  /**
   * The model of study task {@code st} built as {@code t}: sizes and loss from the task, tau
   * from the study task when it sets one ({@link StudyTask#tau}), the rest from this spec.
   */
  public ModelConfig model(StudyTask st, Task t) {
    return model(t, st.tau() == null ? tau : st.tau());
  }

  /** The model for {@code t} at this spec's tau (every task that sets none). */
  public ModelConfig model(Task t) {
    return model(t, tau);
  }

  private ModelConfig model(Task t, double tau) {
    if (spiking != null) { // the base of the spiking network: no b_rec, no autapses
      ModelConfig base = ModelConfig.builder(t.inputSize(), hidden, t.outputSize())
          .loss(t.kind() == TaskKind.CLASSIFICATION ? LossKind.CROSS_ENTROPY : LossKind.MSE)
          .l2(l2).recurrentBias(false).noAutapse(true).build();
      spiking.config(base); // validates
      return base;
    }
    ModelConfig.Builder b = ModelConfig.builder(t.inputSize(), hidden, t.outputSize())
        .activation(activation)
        .loss(t.kind() == TaskKind.CLASSIFICATION ? LossKind.CROSS_ENTROPY : LossKind.MSE)
        .l2(l2);
    if (Double.isNaN(tau)) {
      b.leak(0.0);
    } else {
      b.tau(tau, 1.0);
    }
    return b.build();
  }

  /** Checks that task {@code t} fits: B and the alignment batch against its training set. */
  public void checkFits(Task t) {
    require(batch <= t.train().size(), "batch " + batch + " exceeds the training set of "
        + t.train().size() + " trials");
    require(alignmentBatch <= t.train().size(), "alignment_batch " + alignmentBatch
        + " exceeds the training set of " + t.train().size() + " trials");
  }

  /**
   * Builds every task of the grid ({@code Tasks.create}) and checks that it fits this spec and
   * its model can be built; the tasks by id, in grid order.
   *
   * @throws IllegalArgumentException naming the task id for a bad task, parameter or size
   * @throws java.io.IOException when a task's data cannot be read
   */
  public Map<String, Task> createTasks() throws java.io.IOException {
    Map<String, Task> out = new LinkedHashMap<>();
    for (StudyTask st : tasks) {
      try {
        Task t = org.tca.rules.task.Tasks.create(st.task(), st.params());
        checkFits(t);
        model(st, t); // validates the sizes without allocating the parameters
        out.put(st.id(), t);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(tasks.size() == 1 ? e.getMessage()
            : "task " + st.id() + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** A builder starting from this spec. */
  public StudySpecBuilder toBuilder() {
    return StudySpecBuilder.from(this);
  }
}
