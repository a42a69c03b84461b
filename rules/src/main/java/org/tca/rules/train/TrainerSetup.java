package org.tca.rules.train;

import java.util.Arrays;
import java.util.TreeMap;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.TrainableRanges;
import org.tca.rules.spiking.SpikingRule;
import org.tca.rules.task.Task;
import org.tca.rules.task.TaskKind;

/**
 * The static parts of a {@link Trainer}'s set-up: fit checks, the trainable ranges, the fixed
 * evaluation subsets (the first m of a seeded permutation, sorted; or the first m trials) and the
 * run fingerprint.
 */
final class TrainerSetup {

  private TrainerSetup() {}

  static void checkFit(Task task, ModelConfig mc, FloatParameters params,
      TrainerConfig config, FloatLearningRule rule) {
    if (mc.inputs() != task.inputSize() || mc.outputs() != task.outputSize()) {
      throw new IllegalArgumentException("the model has N_in=" + mc.inputs() + ", N_out="
          + mc.outputs() + " but task " + task.name() + " has " + task.inputSize() + ", "
          + task.outputSize());
    }
    boolean ce = mc.loss() == LossKind.CROSS_ENTROPY;
    if (ce != (task.kind() == TaskKind.CLASSIFICATION)) {
      throw new IllegalArgumentException("a " + mc.loss().id() + " loss does not fit the "
          + task.kind().toString().toLowerCase(java.util.Locale.ROOT) + " task " + task.name());
    }
    if (!params.config().equals(mc)) {
      throw new IllegalArgumentException("parameters were made for another model config");
    }
    if (config.online() && !rule.supportsOnline()) {
      throw new IllegalArgumentException("rule " + rule.id() + " has no online mode");
    }
    int b = config.online() ? 1 : config.batchSize();
    if (b > task.train().size()) {
      throw new IllegalArgumentException("batch size " + b + " exceeds the training set of "
          + task.train().size() + " trials");
    }
    if (task.train().generated() && config.trainEvalSize() == 0
        && task.train().size() > MAX_WHOLE_EVALUATION) {
      throw new IllegalArgumentException("the generated training set of "
          + task.train().size() + " trials is too large to evaluate whole at every checkpoint:"
          + " evaluate its first trials (--eval-train N, eval_train)");
    }
  }

  /** The flat ranges of the trainable (present, unfrozen) blocks. */
  static TrainableRanges trainableRanges(FloatParameters p) {
    int[] pairs = new int[2 * Block.values().length];
    int k = 0;
    for (Block b : Block.values()) {
      if (p.trainable(b)) {
        pairs[k++] = p.view(b).offset();
        pairs[k++] = p.view(b).size();
      }
    }
    return TrainableRanges.of(Arrays.copyOf(pairs, k));
  }

  /** The most trials of a generated training set evaluated whole (a stored set's limit). */
  static final int MAX_WHOLE_EVALUATION = 10_000_000;

  static int[] subset(int n, int want, RandomStream rng) {
    if (want == 0 || want >= n) {
      return null;
    }
    int[] p = Arrays.copyOf(rng.permutation(n), want);
    Arrays.sort(p);
    return p;
  }

  static int[] firstN(int n, int want) {
    if (want == 0 || want >= n) {
      return null;
    }
    int[] p = new int[want];
    Arrays.setAll(p, i -> i);
    return p;
  }

  static String fingerprint(Task task, FloatLearningRule rule, FloatParameters p,
      TrainerConfig c) {
    StringBuilder frozen = new StringBuilder();
    for (Block b : Block.values()) {
      if (p.isFrozen(b)) {
        frozen.append(b.id()).append(' ');
      }
    }
    String model = rule instanceof SpikingRule s ? s.spikingConfig().toString()
        : rule.config().toString();
    return c.fingerprint() + ";rule=" + rule.id() + new TreeMap<>(rule.settings()) + ";model="
        + model + ";frozen=" + frozen.toString().trim() + ";task=" + task.name()
        + task.parameters();
  }
}
