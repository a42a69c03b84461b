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
import org.tca.rules.optim.FloatOptimizerState;
import org.tca.rules.optim.FloatOptimizers;
import org.tca.rules.optim.FloatUpdater;
import org.tca.rules.optim.TrainableRanges;
import org.tca.rules.spiking.FloatSpikingOnlineRule;

/**
 * One learner driven a step at a time: at step t of the current sequence (B = 1, T =
 * {@link LearnerConfig#steps}, loss mask m_t = 1 so w_t = 1/T) it stores x_t and the target,
 * predicts y_t = W_out z_t + b_out with the parameters theta_t, takes the rule's estimate g_t
 * ({@link FloatLearningRule#stepOnline}) and, when asked to learn, applies the optimizer:
 * theta_{t+1} = update(theta_t, g_t), then projects (Dale, sparsity). A step without learning
 * advances the state and the traces exactly as one with learning and leaves theta unchanged.
 * After T steps the next step starts a new sequence (state and traces to zero), as does
 * {@link #reset}. This is the same loop {@code Trainer} runs online; nothing is allocated per
 * step. A spiking learner ({@link LearnerConfig#spiking}) runs the same loop with an online
 * spiking rule ({@link FloatSpikingOnlineRule}), one network step per time step: the rule's
 * {@link FloatLearningRule#predictOnline} answers y_t and its step takes that state; the learner
 * also counts the spikes of its steps for the firing rate ({@link #firingRate}).
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
  private final FloatSpikingOnlineRule spiking; // null for rate cells
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
  private long spikes; // sum over the counted steps of sum_j z_j,t (spiking learners)
  private long spikeSteps; // the steps counted in spikes
  private double lastLoss = Double.NaN;
  private double lossSum;
  private double baseline;
  private boolean pending;
  private final float[] error;

  /** A learner with parameters initialised from {@link LearnerConfig#seed}. */
  public OnlineLearner(LearnerConfig config) {
    this.config = config;
    ModelConfig m = config.model();
    this.k = Kernels.f32();
    this.rule = config.newRule();
    this.params = config.newParameters();
    this.workspace = rule.newWorkspace(1, config.steps());
    this.batch = (m.loss() == LossKind.CROSS_ENTROPY
        ? FloatBatch.classification(config.steps(), 1, m.inputs(), m.outputs(), true)
        : FloatBatch.regression(config.steps(), 1, m.inputs(), m.outputs())).lossAtEveryStep();
    int size = params.data().length;
    this.optimizer = FloatOptimizers.create(config.optimizer(), size, TrainableRanges.all(size));
    this.updater = config.clipNorm() > 0 ? new FloatUpdater(optimizer,
        new ConstantRate(config.learningRate()), config.clipNorm()) : null;
    this.forward = new FloatSampleStep(m, k);
    this.spiking = rule instanceof FloatSpikingOnlineRule s ? s : null;
    this.grad = params.newGradient();
    int n = m.hidden();
    this.pre = new float[2 * n];
    this.z = new float[2 * n];
    this.u = new float[n];
    this.y = new float[m.outputs()];
    this.error = new float[m.outputs()];
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
    pending = false;
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
    int nOut = config.model().outputs();
    if (batch.classification() && (label < 0 || label >= nOut)) {
      throw new IllegalArgumentException("label " + label + " is outside 0.." + (nOut - 1));
    }
    predict(x, xOff, out, outOff);
    if (batch.classification()) {
      batch.labels()[batch.labelIndex(t, 0)] = label;
    } else {
      System.arraycopy(target, tOff, batch.targets(), batch.targetOffset(t, 0), nOut);
    }
    return finish(learn);
  }

  /**
   * The first half of a deferred step: stores x_t, advances the state and writes the prediction
   * y_t = W_out z_t + b_out into {@code out[outOff..]}; the step stays pending until
   * {@link #learnError} or {@link #learnReward} completes it (or {@link #reset} drops it).
   */
  public void predict(float[] x, int xOff, float[] out, int outOff) {
    if (pending) {
      throw new IllegalStateException("step " + t + " awaits its error or reward");
    }
    if (t == config.steps()) {
      reset();
    }
    ModelConfig m = config.model();
    int n = m.hidden();
    int nOut = m.outputs();
    System.arraycopy(x, xOff, batch.x(), batch.xOffset(t, 0), m.inputs());
    if (!rule.predictOnline(params, batch, t, workspace, y)) { // all but e-prop, RFLO, spiking
      int prev = parity * n;
      forward.forward(params, batch.x(), batch.xOffset(t, 0), pre, z, prev, n - prev, u);
      float[] p = params.data();
      System.arraycopy(p, bOut, y, 0, nOut);
      k.gemv(nOut, n, 1f, p, wOut, n, z, n - prev, y, 0);
    }
    System.arraycopy(y, 0, out, outOff, nOut);
    pending = true;
  }

  /** True while a {@link #predict} awaits its error or reward. */
  public boolean pending() {
    return pending;
  }

  /**
   * Completes the pending step with the client's error e_t = dl_t/dy_t (regression learners):
   * the rule takes its estimate with the MSE target y*_t = y_t - (N_out/2) e_t, whose loss
   * gradient (2/N_out)(y_t - y*_t) is e_t up to the f32 rounding of y*_t, weighted by 1/T as
   * every loss step is. Returns that surrogate l_t = (1/N_out) ||y_t - y*_t||^2.
   */
  public double learnError(float[] e, int eOff, boolean learn) {
    float[] target = errorTarget();
    int tOff = batch.targetOffset(t, 0);
    float half = 0.5f * y.length;
    for (int i = 0; i < y.length; i++) {
      target[tOff + i] = y[i] - half * e[eOff + i];
    }
    return finish(learn);
  }

  /**
   * Completes the pending step with a reward r_t for the action a_t the client took around y_t
   * (REINFORCE with a Gaussian policy a_t ~ N(y_t, sigma^2), sigma^2 folded into the learning
   * rate, and a running-mean baseline): advantage A_t = r_t - b_t, error e_t = -A_t (a_t - y_t)
   * completes the step as {@link #learnError} does, then b_{t+1} = b_t + beta (r_t - b_t)
   * (beta = {@link LearnerConfig#baselineRate}, b_0 = 0). Returns A_t.
   */
  public double learnReward(double r, float[] a, int aOff, boolean learn) {
    errorTarget();
    double advantage = r - baseline;
    for (int i = 0; i < y.length; i++) {
      error[i] = (float) (-advantage * (a[aOff + i] - y[i]));
    }
    learnError(error, 0, learn);
    baseline += config.baselineRate() * (r - baseline);
    return advantage;
  }

  private float[] errorTarget() {
    if (!pending) {
      throw new IllegalStateException("no step awaits an error or reward (send a deferred step "
          + "first)");
    }
    if (batch.classification()) {
      throw new IllegalArgumentException("an error or reward needs a regression (mse) learner, "
          + "this one has loss cross-entropy");
    }
    return batch.targets();
  }

  /** Second half of a step: the rule's estimate g_t at step t and, with learn, the update. */
  private double finish(boolean learn) {
    pending = false;
    float[] p = params.data();
    // without clipping the rule applies the update as it emits g_t (the optimizer's step with
    // scale 1, as FloatUpdater takes it, less its unused gradient norm); not at a non-finite loss
    boolean fused = learn && updater == null;
    double wl = fused
        ? rule.stepOnline(params, batch, t, workspace, grad, optimizer, config.learningRate())
        : rule.stepOnline(params, batch, t, workspace, grad);
    double l = wl * config.steps();
    parity ^= 1;
    t++;
    steps++;
    if (spiking != null) {
      spikes += spiking.spikes(workspace);
      spikeSteps++;
    }
    if (!Double.isFinite(l)) {
      throw new IllegalStateException("the loss is " + l + " at step " + (t - 1));
    }
    if (learn) {
      if (!fused) {
        updater.step(p, grad);
      }
      params.project();
      updates++;
    }
    lastLoss = l;
    lossSum += l;
    return l;
  }

  /**
   * What a snapshot keeps besides the parameters, so that a learner restored at the start of a
   * sequence continues bit for bit as if never stopped: the optimizer's state (Adam's moments,
   * momentum's velocity, their step counts), the reward baseline and the counters (the spike
   * count and the steps it covers: 0 for rate learners and snapshots older than protocol 3).
   */
  public record Saved(FloatOptimizerState optimizer, double baseline, long steps, long updates,
      long sequences, int nextStep, double lossSum, long spikes, long spikeSteps) {}

  /** The state a snapshot keeps besides the parameters (a copy). */
  public Saved saved() {
    return new Saved(optimizer.state(), baseline, steps, updates, sequences, t, lossSum, spikes,
        spikeSteps);
  }

  /**
   * Restores parameters and (unless null) the rest of a snapshot; starts a new sequence.
   *
   * @throws IllegalArgumentException when the lengths or the optimizer kind do not match
   */
  public void restore(float[] values, Saved saved) {
    float[] p = params.data();
    if (values.length != p.length) {
      throw new IllegalArgumentException("the parameters have " + values.length
          + " values, the learner " + config.name() + " has " + p.length);
    }
    if (saved != null) {
      optimizer.restore(saved.optimizer());
      if (updater != null) {
        updater.setIteration(saved.updates());
      }
      baseline = saved.baseline();
      steps = saved.steps();
      updates = saved.updates();
      // reset() below begins a sequence: the next one, or the saved one if it had no step yet
      sequences = saved.sequences() - (saved.nextStep() == 0 ? 1 : 0);
      lossSum = saved.lossSum();
      spikes = saved.spikes();
      spikeSteps = saved.spikeSteps();
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

  /**
   * The mean firing rate of a spiking learner in Hz (dt = 1 ms), over its units and all its
   * steps since it was opened (kept in snapshots, like the step count): 1000 sum_t sum_j z_j,t
   * / (N steps). NaN before the first step and for rate learners.
   */
  public double firingRate() {
    return spikeSteps == 0 ? Double.NaN
        : 1000.0 * spikes / ((double) config.model().hidden() * spikeSteps);
  }
}
