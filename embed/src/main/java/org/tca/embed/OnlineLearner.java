package org.tca.embed;

import java.util.Arrays;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatSampleStep;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.ConstantRate;
import org.tca.rules.optim.FloatOptimizer;
import org.tca.rules.optim.FloatOptimizers;
import org.tca.rules.optim.FloatUpdater;
import org.tca.rules.optim.TrainableRanges;

/**
 * One learner driven a step at a time: at step t of the current sequence (B = 1, T =
 * {@link LearnerConfig#steps}, loss mask m_t = 1 so w_t = 1/T) it stores x_t and the target,
 * predicts y_t = W_out z_t + b_out with the parameters theta_t, takes the rule's estimate g_t
 * ({@link FloatLearningRule#stepOnline}) and, when asked to learn, applies the optimizer:
 * theta_{t+1} = update(theta_t, g_t), then projects (Dale, sparsity). A step without learning
 * advances the state and the traces exactly as one with learning and leaves theta unchanged.
 * After T steps the next step starts a new sequence (state and traces to zero), as does
 * {@link #reset}. This is the same loop {@code Trainer} runs online; nothing is allocated per
 * step.
 */
public final class OnlineLearner {

  private final LearnerConfig config;
  private final FloatLearningRule rule;
  private final FloatParameters params;
  private final FloatWorkspace workspace;
  private final FloatBatch batch;
  private final FloatOptimizer optimizer;
  private final FloatUpdater updater; // null without clipping: then only the optimizer runs
  private final FloatSampleStep forward;
  private final FloatKernels k;
  private final float[] grad;
  private final float[] pre;
  private final float[] z;
  private final float[] u;
  private final float[] y;
  private final int wOut;
  private final int bOut;
  private int t;
  private int parity;
  private long steps;
  private long updates;
  private long sequences;
  private double lastLoss = Double.NaN;
  private double lossSum;

  /** A learner with parameters initialised from {@link LearnerConfig#seed}. */
  public OnlineLearner(LearnerConfig config) {
    this.config = config;
    ModelConfig m = config.model();
    this.k = Kernels.f32();
    this.rule = config.newRule();
    this.params = FloatParameters.initialize(m, config.seed());
    this.workspace = rule.newWorkspace(1, config.steps());
    this.batch = (m.loss() == LossKind.CROSS_ENTROPY
        ? FloatBatch.classification(config.steps(), 1, m.inputs(), m.outputs(), true)
        : FloatBatch.regression(config.steps(), 1, m.inputs(), m.outputs())).lossAtEveryStep();
    int size = params.data().length;
    this.optimizer = FloatOptimizers.create(config.optimizer(), size, TrainableRanges.all(size));
    this.updater = config.clipNorm() > 0 ? new FloatUpdater(optimizer,
        new ConstantRate(config.learningRate()), config.clipNorm()) : null;
    this.forward = new FloatSampleStep(m, k);
    this.grad = params.newGradient();
    int n = m.hidden();
    this.pre = new float[2 * n];
    this.z = new float[2 * n];
    this.u = new float[n];
    this.y = new float[m.outputs()];
    this.wOut = params.view(Block.W_OUT).offset();
    this.bOut = params.view(Block.B_OUT).offset();
    reset();
  }

  /** The config. */
  public LearnerConfig config() {
    return config;
  }

  /** The parameters (updated in place). */
  public FloatParameters parameters() {
    return params;
  }

  /** Starts a new sequence: recurrent state and traces to zero, t = 0. */
  public void reset() {
    rule.beginOnline(params, workspace);
    Arrays.fill(pre, 0f);
    Arrays.fill(z, 0f);
    parity = 0;
    t = 0;
    sequences++;
  }

  /** The step index t within the sequence that the next {@link #step} takes. */
  public int nextStep() {
    return t;
  }

  /**
   * One step: x_t from {@code x[xOff..]}, the target y*_t from {@code target[tOff..]}
   * (regression) or {@code label} (classification); writes y_t into {@code out[outOff..]} and
   * returns l_t. With {@code learn} the optimizer applies g_t.
   *
   * @throws IllegalStateException when the step or the update made something non-finite (the
   *     parameters are left as they were before the update)
   */
  public double step(float[] x, int xOff, float[] target, int tOff, int label, boolean learn,
      float[] out, int outOff) {
    ModelConfig m = config.model();
    if (t == config.steps()) {
      reset();
    }
    int nIn = m.inputs();
    int nOut = m.outputs();
    System.arraycopy(x, xOff, batch.x(), batch.xOffset(t, 0), nIn);
    if (batch.classification()) {
      if (label < 0 || label >= nOut) {
        throw new IllegalArgumentException("label " + label + " is outside 0.." + (nOut - 1));
      }
      batch.labels()[batch.labelIndex(t, 0)] = label;
    } else {
      System.arraycopy(target, tOff, batch.targets(), batch.targetOffset(t, 0), nOut);
    }
    int n = m.hidden();
    int prev = parity * n;
    int cur = n - prev;
    forward.forward(params, batch.x(), batch.xOffset(t, 0), pre, z, prev, cur, u);
    float[] p = params.data();
    System.arraycopy(p, bOut, y, 0, nOut);
    k.gemv(nOut, n, 1f, p, wOut, n, z, cur, y, 0);
    double wl = rule.stepOnline(params, batch, t, workspace, grad);
    double l = wl * config.steps();
    parity ^= 1;
    t++;
    steps++;
    if (!Double.isFinite(l)) {
      throw new IllegalStateException("the loss is " + l + " at step " + (t - 1));
    }
    if (learn) {
      if (updater != null) {
        updater.step(p, grad);
      } else {
        // what FloatUpdater does without clipping (scale 1), less its unused gradient norm
        optimizer.step(p, grad, 1.0, config.learningRate());
      }
      params.project();
      updates++;
    }
    System.arraycopy(y, 0, out, outOff, nOut);
    lastLoss = l;
    lossSum += l;
    return l;
  }

  /** Replaces the parameters by {@code values} (same length); starts a new sequence. */
  public void restore(float[] values) {
    float[] p = params.data();
    if (values.length != p.length) {
      throw new IllegalArgumentException("the parameters have " + values.length
          + " values, the learner " + config.name() + " has " + p.length);
    }
    System.arraycopy(values, 0, p, 0, p.length);
    params.project();
    reset();
  }

  /** Steps taken. */
  public long steps() {
    return steps;
  }

  /** Updates applied. */
  public long updates() {
    return updates;
  }

  /** Sequences begun. */
  public long sequences() {
    return sequences;
  }

  /** l_t of the last step (NaN before the first). */
  public double lastLoss() {
    return lastLoss;
  }

  /** Mean l_t over all steps (NaN before the first). */
  public double meanLoss() {
    return steps == 0 ? Double.NaN : lossSum / steps;
  }
}
