package org.tca.rules.train;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.task.Task;
import org.tca.rules.task.Tasks;

/** Small tasks and batches shared by the training tests. */
final class TrainTestSupport {

  private TrainTestSupport() {}

  /** Delayed XOR with T = 2 * cue + delay, n-train / n-test trials. */
  static Task delayedXor(int cue, int delay, int nTrain, int nTest) {
    Map<String, String> p = new HashMap<>();
    p.put("cue", Integer.toString(cue));
    p.put("delay", Integer.toString(delay));
    p.put("std", Double.toString(cue / 4.0));
    p.put("n-train", Integer.toString(nTrain));
    p.put("n-test", Integer.toString(nTest));
    p.put("shift-delay", Integer.toString(delay + 2));
    return create("delayed-xor", p);
  }

  /**
   * A small pattern-generation (regression, MSE) task. With a ReLU model its training uses no
   * transcendental function, so its bits do not depend on which kernels the JIT has compiled
   * yet (the vector EXP/TANH/LOG1P differ by an ulp between interpreted and compiled code).
   */
  static Task patterns(int steps, int inputs, int nTrain, int nTest) {
    Map<String, String> p = new HashMap<>();
    p.put("steps", Integer.toString(steps));
    p.put("inputs", Integer.toString(inputs));
    p.put("rate", "200");
    p.put("n-train", Integer.toString(nTrain));
    p.put("n-test", Integer.toString(nTest));
    p.put("shift-rate", "100");
    return create("pattern-generation", p);
  }

  static Task create(String name, Map<String, String> p) {
    try {
      return Tasks.create(name, p);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A seeded batch: x ~ N(0, 1), uniform labels (per step when asked) or N(0, 1) targets. */
  static FloatBatch batch(ModelConfig c, int steps, int size, boolean perStep, float[] mask,
      long seed) {
    RandomStream r = new RandomStream(seed);
    FloatBatch b = c.loss() == LossKind.CROSS_ENTROPY
        ? FloatBatch.classification(steps, size, c.inputs(), c.outputs(), perStep)
        : FloatBatch.regression(steps, size, c.inputs(), c.outputs());
    for (int i = 0; i < b.x().length; i++) {
      b.x()[i] = (float) r.nextGaussian();
    }
    if (b.classification()) {
      for (int i = 0; i < b.labels().length; i++) {
        b.labels()[i] = r.nextInt(c.outputs());
      }
    } else {
      for (int i = 0; i < b.targets().length; i++) {
        b.targets()[i] = (float) r.nextGaussian();
      }
    }
    return b.lossMask(mask);
  }

  static float[] everyStep(int steps) {
    float[] m = new float[steps];
    java.util.Arrays.fill(m, 1f);
    return m;
  }
}
