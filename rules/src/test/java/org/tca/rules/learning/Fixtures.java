package org.tca.rules.learning;

import java.util.ArrayList;
import java.util.List;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;

/** Tiny networks and seeded batches shared by the rule and curvature tests. */
public final class Fixtures {

  public static final int N_IN = 3;
  public static final int N = 5;
  public static final int N_OUT = 2;
  public static final int T = 6;
  public static final int B = 3;

  /** Where the loss is taken. PARTIAL has unequal weights and no loss at the last step. */
  public enum Mask {
    LAST, EVERY, PARTIAL;

    public float[] weights(int steps) {
      float[] m = new float[steps];
      switch (this) {
        case LAST -> m[steps - 1] = 1f;
        case EVERY -> java.util.Arrays.fill(m, 1f);
        case PARTIAL -> {
          for (int t = 1; t < steps - 1; t += 2) {
            m[t] = t % 4 == 1 ? 1f : 2f;
          }
        }
      }
      return m;
    }
  }

  /** One test configuration. */
  public record Case(ModelConfig config, Mask mask, boolean labelsPerStep, long seed) {
    @Override
    public String toString() {
      ModelConfig c = config;
      return c.cell().id() + "/" + c.activation().id() + "/" + c.loss().id() + "/" + mask
          + " a=" + c.leak() + (c.recurrentBias() ? "" : " no-b_rec")
          + (c.noAutapse() ? "" : " autapses") + (c.dale() ? " dale" : "")
          + (c.connectionProbability() < 1 ? " sparse" : "") + (labelsPerStep ? " per-step" : "");
    }
  }

  private Fixtures() {}

  /**
   * Every cell x activation x loss x mask x {plain leak, leaky}, with the structural options
   * (b_rec off, autapses allowed, Dale, sparse, per-step labels) cycled over the cases so each
   * appears many times in different company. L2 is always on.
   */
  static List<Case> allCases() {
    return cases(Activation.RELU, Activation.TANH, Activation.SOFTPLUS);
  }

  /** The same grid over the given activations. */
  public static List<Case> cases(Activation... acts) {
    List<Case> cases = new ArrayList<>();
    int i = 0;
    for (Cell cell : Cell.values()) {
      for (Activation f : acts) {
        for (LossKind loss : LossKind.values()) {
          for (Mask mask : Mask.values()) {
            for (boolean leaky : new boolean[] {false, true}) {
              double a = cell == Cell.VOLTAGE_LEAK ? (leaky ? 0.6 : 0.0) : (leaky ? 0.3 : 1.0);
              ModelConfig c = ModelConfig.builder(N_IN, N, N_OUT).cell(cell).activation(f)
                  .loss(loss).leak(a).l2(0.05)
                  .recurrentBias(i % 2 == 0)
                  .noAutapse(i % 5 != 3)
                  .dale(i % 3 == 1)
                  .connectionProbability(i % 4 == 2 ? 0.6 : 1.0)
                  .build();
              boolean perStep = loss == LossKind.CROSS_ENTROPY && i % 7 == 4;
              cases.add(new Case(c, mask, perStep, 1000 + i));
              i++;
            }
          }
        }
      }
    }
    return cases;
  }

  /** A seeded f32 batch for a case: x ~ N(0, 1), uniform labels or N(0, 1) targets. */
  public static FloatBatch floatBatch(ModelConfig c, Mask mask, boolean labelsPerStep, int steps,
      int size, long seed) {
    RandomStream r = new RandomStream(seed);
    FloatBatch b = c.loss() == LossKind.CROSS_ENTROPY
        ? FloatBatch.classification(steps, size, c.inputs(), c.outputs(), labelsPerStep)
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
    b.lossMask(mask.weights(steps));
    return b;
  }

  /** The f64 batch of a case (the f32 batch widened, so both precisions see the same data). */
  static DoubleBatch doubleBatch(Case k, int steps, int size) {
    return org.tca.rules.model.PrecisionConversion.widen(
        floatBatch(k.config(), k.mask(), k.labelsPerStep(), steps, size, k.seed()));
  }
}
