package org.tca.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.embed.RunningService.settledWeights;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.optim.ConstantRate;
import org.tca.rules.optim.FloatOptimizers;
import org.tca.rules.optim.FloatUpdater;
import org.tca.rules.optim.TrainableRanges;
import org.tca.rules.spiking.FloatSpikingNetwork;
import org.tca.rules.spiking.FloatSpikingRules;
import org.tca.rules.spiking.FloatSpikingTrajectory;
import org.tca.rules.spiking.SpikingConfig;
import org.tca.rules.spiking.SpikingInitialization;

/**
 * Spiking learners ({@code "cell": "lif" | "alif" | "lif-alif"}) in the learner service: the
 * service against the online spiking rules run in-process, bit for bit; online e-prop learns a
 * spike-pattern-to-signal map; a restarted service continues bit for bit from the snapshot; a
 * deferred step with the client's error is the step with the target; STATS carries the firing
 * rate; no allocation per step; bad neuron keys are errors naming the key.
 */
@Timeout(120) // every wait on the service below is bounded by this, not by reading a clock
class SpikingLearnerTest {

  @TempDir
  Path dir;

  private static final int N_IN = 6;
  private static final int N_OUT = 2;
  private static final int T = 12;

  /** A 10-unit LIF/ALIF learner (5 ALIF, tau_a = 200 ms) with Adam. */
  private static String json(String name, String rule, String loss, String extra) {
    return "{\"name\": \"" + name + "\", \"inputs\": " + N_IN + ", \"hidden\": 10, \"outputs\": "
        + N_OUT + ", \"cell\": \"lif-alif\", \"tau_a\": 200, \"input_gain\": 3, \"loss\": \""
        + loss + "\", \"l2\": 0.001, \"rule\": \"" + rule + "\", \"window\": 4, \"optimizer\":"
        + " \"adam\", \"lr\": 0.01, \"seed\": 3, \"steps\": " + T
        + (rule.equals("tbptt") ? ", \"rate_cost\": 0" : "") + extra + "}";
  }

  /** Input spikes x_t[i] in {0, 1}, each with probability 0.3. */
  private static void spikes(RandomStream random, float[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextDouble() < 0.3 ? 1f : 0f;
    }
  }

  /**
   * The oracle: the spiking rule run in-process (beginOnline, stepOnline, the optimizer, the
   * projection; a new sequence every T steps) from {@link SpikingInitialization}'s parameters,
   * against the service's losses, predictions and parameters, bit for bit. Every 5th step does
   * not learn. Rates in the loss: the rate term (c_r = 1, except tbptt) joins l_t at t = T-1.
   */
  @ParameterizedTest
  @ValueSource(strings = {"eprop", "eprop-random", "mdgl", "mdgl-celltype", "tbptt", "rtrl"})
  void serviceMatchesTheOnlineSpikingRuleBitForBit(String ruleId) throws IOException {
    for (String loss : new String[] {"mse", "cross-entropy"}) {
      // a large rate: the weights move enough between steps to change spikes, so a prediction
      // from stale weights would show
      String json = json(ruleId + "-" + loss, ruleId, loss, "").replace("\"lr\": 0.01",
          "\"lr\": 0.05");
      LearnerConfig config = LearnerConfig.parse(json);
      boolean ce = loss.equals("cross-entropy");
      FloatLearningRule rule = FloatSpikingRules.create(ruleId, config.spiking().network(),
          config.options());
      FloatParameters p = SpikingInitialization.initialize(config.spiking().network(), 3, 3);
      float[] initial = p.data().clone();
      FloatWorkspace ws = rule.newWorkspace(1, T);
      FloatBatch batch = (ce ? FloatBatch.classification(T, 1, N_IN, N_OUT, true)
          : FloatBatch.regression(T, 1, N_IN, N_OUT)).lossAtEveryStep();
      int size = p.data().length;
      FloatUpdater updater = new FloatUpdater(FloatOptimizers.create(config.optimizer(), size,
          TrainableRanges.all(size)), new ConstantRate(config.learningRate()));
      float[] grad = p.newGradient();
      RandomStream random = new RandomStream(11);
      float[] x = new float[N_IN];
      float[] target = new float[N_OUT];
      float[] y = new float[N_OUT];
      long updates = 0;
      try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
        LearnerClient.Opened o = c.open(json);
        assertEquals(size, o.parameters());
        assertArrayEquals(p.data(), settledWeights(c, 0), "the spiking initialisation");
        for (int k = 0; k < 6 * T + 2; k++) {
          int t = k % T;
          if (t == 0) {
            rule.beginOnline(p, ws);
          }
          spikes(random, x);
          target[0] = (float) Math.sin(0.5 * k);
          target[1] = -0.5f;
          int label = k % N_OUT;
          boolean learn = k % 5 != 4;
          System.arraycopy(x, 0, batch.x(), batch.xOffset(t, 0), N_IN);
          if (ce) {
            batch.labels()[batch.labelIndex(t, 0)] = label;
          } else {
            System.arraycopy(target, 0, batch.targets(), batch.targetOffset(t, 0), N_OUT);
          }
          double expected = rule.stepOnline(p, batch, t, ws, grad) * T;
          if (learn) {
            updater.step(p.data(), grad);
            p.project();
            updates++;
          }
          double got = c.step(x, target, label, learn, y);
          assertEquals(expected, got, 0.0, ruleId + " " + loss + ": loss at step " + k);
          if (!ce && t != T - 1) { // the reply's y_t is the one the loss was taken at
            double mse = ((y[0] - target[0]) * (double) (y[0] - target[0])
                + (y[1] - target[1]) * (double) (y[1] - target[1])) / N_OUT;
            assertEquals(mse, got, 1e-6 * Math.max(1, mse), "prediction at step " + k);
          }
        }
        assertArrayEquals(p.data(), settledWeights(c, updates), ruleId + " " + loss);
        assertEquals(updates, c.stats().updates());
      }
      assertWeightsMoved(p, initial, Block.W_REC, ruleId);
    }
  }

  private static void assertWeightsMoved(FloatParameters p, float[] initial, Block b,
      String what) {
    var v = p.view(b);
    boolean moved = false;
    for (int i = v.offset(); i < v.end(); i++) {
      moved |= p.data()[i] != initial[i];
    }
    assertTrue(moved, what + ": " + b + " learned nothing (no spikes, no pseudo-derivative?)");
  }

  /**
   * Online e-prop on 20 LIF units maps a frozen input spike pattern (10 channels at 20%) to two
   * sines over a 50 ms sequence: an Adam step at every step, 150 sequences; the mean loss of
   * the last 10 sequences falls below a fifth of the first 10 (about an eighth when written) (readout and recurrent weights
   * learn; the rate term keeps the units near 10 Hz).
   */
  @Test
  void onlineEpropLearnsASpikePatternToSignalMap() {
    int steps = 50;
    int nIn = 10;
    OnlineLearner l = new OnlineLearner(LearnerConfig.parse("{\"name\": \"pattern\", \"inputs\": "
        + nIn + ", \"hidden\": 20, \"outputs\": 2, \"cell\": \"lif\", \"input_gain\": 3,"
        + " \"rule\": \"eprop\", \"optimizer\": \"adam\", \"lr\": 0.003, \"seed\": 1,"
        + " \"steps\": " + steps + "}"));
    float[] pattern = new float[steps * nIn];
    RandomStream random = new RandomStream(5);
    for (int i = 0; i < pattern.length; i++) {
      pattern[i] = random.nextDouble() < 0.2 ? 1f : 0f;
    }
    float[] target = new float[2];
    float[] y = new float[2];
    float[] initial = l.parameters().data().clone();
    double first = 0;
    double last = 0;
    int sequences = 150;
    for (int s = 0; s < sequences; s++) {
      for (int t = 0; t < steps; t++) {
        target[0] = (float) Math.sin(2 * Math.PI * t / steps);
        target[1] = (float) Math.cos(2 * Math.PI * t / steps);
        double loss = l.step(pattern, t * nIn, target, 0, 0, true, y, 0);
        if (t < steps - 1) { // the rate term joins the last step
          first += s < 10 ? loss : 0;
          last += s >= sequences - 10 ? loss : 0;
        }
      }
    }
    assertTrue(last < 0.2 * first, "mean loss of the first 10 sequences " + first / 490
        + ", of the last 10 " + last / 490);
    assertWeightsMoved(l.parameters(), initial, Block.W_REC, "eprop");
  }

  private static String stepsJson(String name, String rule) {
    return json(name, rule, "mse", "");
  }

  private static void train(LearnerClient c, int k0, int count) {
    float[] x = new float[N_IN];
    float[] target = new float[N_OUT];
    float[] y = new float[N_OUT];
    for (int k = k0; k < k0 + count; k++) {
      for (int i = 0; i < N_IN; i++) {
        x[i] = (k * 7 + i * 3) % 5 == 0 ? 1f : 0f;
      }
      target[0] = (float) Math.cos(0.3 * k);
      target[1] = -target[0];
      c.step(x, target, 0, true, y);
    }
  }

  /**
   * Snapshot, service restart and restore at a sequence boundary, then more training, gives the
   * parameter bits and counters of training straight through (Adam's moments are in the
   * snapshot; the spiking state restarts with the sequence, as it does without a restart).
   */
  @ParameterizedTest
  @ValueSource(strings = {"eprop", "mdgl", "rtrl"})
  void aRestartedServiceContinuesASpikingLearnerBitForBit(String ruleId) throws IOException {
    float[] straight;
    LearnerClient.Stats straightStats;
    try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
      c.open(stepsJson("straight", ruleId));
      train(c, 0, 5 * T);
      straight = settledWeights(c, 5 * T);
      straightStats = c.stats();
    }
    try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
      c.open(stepsJson("stopped", ruleId));
      train(c, 0, 2 * T);
    } // the client leaves (snapshot), the service stops
    try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
      assertTrue(c.open(stepsJson("stopped", ruleId)).restored());
      train(c, 2 * T, 3 * T);
      assertEquals(straightStats, c.stats(), ruleId);
      assertArrayEquals(straight, settledWeights(c, 5 * T), ruleId);
    }
  }

  /** One sequence of T steps without learning on the inputs of {@code batch}. */
  private static void hold(LearnerClient c, FloatBatch batch) {
    float[] x = new float[N_IN];
    float[] y = new float[N_OUT];
    for (int t = 0; t < T; t++) {
      System.arraycopy(batch.x(), batch.xOffset(t, 0), x, 0, N_IN);
      c.step(x, new float[N_OUT], 0, false, y);
    }
  }

  /** Spikes per unit and step of the offline forward pass of {@code batch} (the oracle). */
  private static double offlineRate(SpikingConfig net, FloatParameters p, FloatBatch batch) {
    FloatSpikingNetwork network = new FloatSpikingNetwork(net);
    FloatSpikingTrajectory tr = new FloatSpikingTrajectory(net, 1, T);
    network.forward(p, batch, tr);
    return network.meanRate(tr);
  }

  /**
   * STATS carries the mean firing rate since the learner was opened, 1000 sum_t sum_j z_j,t /
   * (N steps) Hz, against the offline forward pass of the same inputs with the weights held
   * ({@link FloatSpikingNetwork#meanRate}, spikes per unit and step): NaN before the first step,
   * sequence A's rate after A, and after a restart from the snapshot and sequence B the mean of
   * A's and B's (the count is kept in the snapshot); a rate learner reports NaN.
   */
  @Test
  void statsCarryTheFiringRateSinceOpen() throws IOException {
    String json = json("rates", "eprop", "mse", "");
    SpikingConfig net = LearnerConfig.parse(json).spiking().network();
    FloatParameters p = SpikingInitialization.initialize(net, 3, 3);
    RandomStream random = new RandomStream(8);
    FloatBatch[] sequences = new FloatBatch[2];
    double[] rates = new double[2];
    float[] x = new float[N_IN];
    for (int i = 0; i < 2; i++) {
      sequences[i] = FloatBatch.regression(T, 1, N_IN, N_OUT).lossAtEveryStep();
      for (int t = 0; t < T; t++) {
        spikes(random, x);
        System.arraycopy(x, 0, sequences[i].x(), sequences[i].xOffset(t, 0), N_IN);
      }
      rates[i] = 1000 * offlineRate(net, p, sequences[i]);
    }
    assertTrue(rates[0] > 0 && rates[0] != rates[1], "rates " + rates[0] + ", " + rates[1]);
    try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
      c.open(json);
      assertTrue(Double.isNaN(c.stats().firingRate()), "before the first step");
      hold(c, sequences[0]);
      assertEquals(rates[0], c.stats().firingRate(), 1e-12 * rates[0], "after sequence A");
    } // the client leaves (snapshot), the service stops
    try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
      assertTrue(c.open(json).restored());
      hold(c, sequences[1]);
      double both = (rates[0] + rates[1]) / 2;
      assertEquals(both, c.stats().firingRate(), 1e-12 * both, "after a restart and sequence B");
      c.closeLearner();
      c.open("{\"name\": \"rate-cells\", \"inputs\": " + N_IN + ", \"hidden\": 4, "
          + "\"outputs\": " + N_OUT + ", \"steps\": " + T + "}");
      c.step(x, new float[N_OUT], 0, true, new float[N_OUT]);
      assertTrue(Double.isNaN(c.stats().firingRate()), "a rate learner");
    }
  }

  /**
   * A deferred step completed with the client's error e_t = (2/N_out)(y_t - y*_t) is the step
   * with the target y*_t: the same prediction bits, the same loss and (up to the f32 rounding
   * of the target the learner rebuilds) the same parameters.
   */
  @Test
  void aDeferredStepWithTheErrorIsTheStepWithTheTarget() {
    OnlineLearner byTarget = new OnlineLearner(LearnerConfig.parse(stepsJson("a", "eprop")));
    OnlineLearner byError = new OnlineLearner(LearnerConfig.parse(stepsJson("b", "eprop")));
    float[] x = new float[N_IN];
    float[] target = new float[N_OUT];
    float[] y = new float[N_OUT];
    float[] yd = new float[N_OUT];
    float[] e = new float[N_OUT];
    RandomStream random = new RandomStream(2);
    for (int k = 0; k < 3 * T; k++) {
      spikes(random, x);
      target[0] = (float) Math.cos(0.3 * k);
      target[1] = 0.5f;
      double l = byTarget.step(x, 0, target, 0, 0, true, y, 0);
      byError.predict(x, 0, yd, 0);
      assertArrayEquals(y, yd, 0f, "the prediction of step " + k);
      for (int i = 0; i < N_OUT; i++) {
        e[i] = (float) (2.0 * (yd[i] - target[i]) / N_OUT);
      }
      assertEquals(l, byError.learnError(e, 0, true), 1e-5 * Math.max(1, l), "loss " + k);
    }
    float[] a = byTarget.parameters().data();
    float[] b = byError.parameters().data();
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 1e-5 * Math.max(1, Math.abs(a[i])), "parameter " + i);
    }
  }

  private static final com.sun.management.ThreadMXBean MX =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Steps (with and without learning, deferred ones too) allocate nothing once warm. */
  @ParameterizedTest
  @ValueSource(strings = {"eprop", "mdgl", "mdgl-celltype", "tbptt", "rtrl"})
  void stepsAllocateNothingOnceWarm(String ruleId) {
    OnlineLearner l = new OnlineLearner(LearnerConfig.parse(stepsJson("alloc", ruleId)));
    float[] x = {1, 0, 0, 1, 0, 1};
    float[] target = {0.5f, -0.5f};
    float[] y = new float[N_OUT];
    float[] e = {0.1f, -0.1f};
    Runnable sequence = () -> {
      for (int t = 0; t < T; t++) {
        if (t % 3 == 2) {
          l.predict(x, 0, y, 0);
          l.learnError(e, 0, true);
        } else {
          l.step(x, 0, target, 0, 0, t % 4 != 1, y, 0);
        }
      }
    };
    for (int i = 0; i < 3000; i++) {
      sequence.run();
    }
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 3000 && least != 0; round++) {
      long before = MX.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 10; i++) {
        sequence.run();
      }
      least = Math.min(least, MX.getCurrentThreadAllocatedBytes() - before);
    }
    assertEquals(0, least, ruleId + ": bytes allocated over 10 sequences");
  }

  /** Bad spiking configs are errors naming the key, in the parser and through the service. */
  @Test
  void badSpikingConfigsNameTheKey() throws IOException {
    String[][] cases = {
        {", \"tau_m\": 0", "'tau_m' must be > 0"}, {", \"tau_a\": -1", "'tau_a' must be > 0"},
        {", \"beta\": -1", "'beta' must be >= 0"}, {", \"v_th\": 0", "'v_th' must be > 0"},
        {", \"n_ref\": -1", "'n_ref' must be >= 0"}, {", \"n_ref\": 1.5", "'n_ref' must be an"},
        {", \"gamma\": 0", "'gamma' must be > 0"}, {", \"tau_out\": 0", "'tau_out' must be > 0"},
        {", \"rate_cost\": -1", "'rate_cost' must be >= 0"},
        {", \"target_rate\": 2000", "'target_rate' must be in [0, 1000] Hz"},
        {", \"input_gain\": 0", "'input_gain' must be > 0"},
        {", \"tau_m\": \"fast\"", "'tau_m' must be a number"},
        {", \"activation\": \"tanh\"", "'activation' is for rate cells"},
        {", \"leak\": 0.5", "'leak' is for rate cells"}};
    for (String[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> LearnerConfig.parse(json("bad", "eprop", "mse", c[0])), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
    }
    String rate = "{\"name\": \"r\", \"inputs\": 2, \"hidden\": 3, \"outputs\": 1, \"steps\": 4";
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LearnerConfig.parse(rate
        + ", \"tau_m\": 20}")).getMessage().contains("'tau_m' is for spiking cells"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LearnerConfig.parse(rate
        + ", \"cell\": \"izhikevich\"}")).getMessage().contains("key 'cell': unknown cell"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LearnerConfig.parse(
        json("bad", "rflo", "mse", "")).newRule()).getMessage()
        .contains("rule 'rflo' does not run on spiking cells"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LearnerConfig.parse(
        json("bad", "bptt", "mse", "")).newRule()).getMessage()
        .contains("rule 'bptt' has no online mode"));
    try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
      ServiceError bad = assertThrows(ServiceError.class,
          () -> c.open(json("bad", "eprop", "mse", ", \"v_th\": -0.6")));
      assertEquals(Protocol.E_BAD_CONFIG, bad.code());
      assertTrue(bad.getMessage().contains("'v_th' must be > 0"), bad.getMessage());
      assertFalse(c.open(json("good", "eprop", "mse", "")).restored());
      assertEquals(1, c.stats().sequences());
    }
  }
}
