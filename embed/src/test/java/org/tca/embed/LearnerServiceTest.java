package org.tca.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.embed.RunningService.settledWeights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.optim.ConstantRate;
import org.tca.rules.optim.FloatOptimizers;
import org.tca.rules.optim.FloatUpdater;
import org.tca.rules.optim.TrainableRanges;

/** The learner service against an in-process oracle, and its fault handling. */
@Timeout(120) // every wait on the service below is bounded by this, not by reading a clock
class LearnerServiceTest {

  @TempDir
  Path dir;

  private static final int N_IN = 5;
  private static final int N_OUT = 2;
  private static final int T = 7;

  private static String json(String name, String rule, String loss) {
    return "{\"name\": \"" + name + "\", \"inputs\": " + N_IN + ", \"hidden\": 16, \"outputs\": "
        + N_OUT + ", \"loss\": \"" + loss + "\", \"l2\": 0.001, \"rule\": \"" + rule
        + "\", \"optimizer\": \"adam\", \"lr\": 0.01, \"seed\": 3, \"steps\": " + T + "}";
  }

  /**
   * The oracle: the same online loop run in-process straight on the rules (beginOnline, then per
   * step stepOnline, the optimizer and the projection; a new sequence every T steps), against
   * the service's parameters and losses, bit for bit. Every 5th step does not learn.
   */
  @ParameterizedTest
  @ValueSource(strings = {"eprop", "eprop-random", "rflo", "rtrl", "uoro", "kf-rtrl"})
  void serviceMatchesInProcessLoopBitForBit(String ruleId) throws IOException {
    for (String loss : new String[] {"mse", "cross-entropy"}) {
      String json = json(ruleId + "-" + loss, ruleId, loss);
      LearnerConfig config = LearnerConfig.parse(json);
      boolean ce = loss.equals("cross-entropy");
      FloatLearningRule rule = config.newRule();
      FloatParameters p = FloatParameters.initialize(config.model(), config.seed());
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
        assertFalse(o.restored());
        assertArrayEquals(p.data(), settledWeights(c, 0));
        for (int k = 0; k < 3 * T + 2; k++) {
          int t = k % T;
          if (t == 0) {
            rule.beginOnline(p, ws);
          }
          for (int i = 0; i < N_IN; i++) {
            x[i] = (float) random.nextGaussian();
          }
          for (int i = 0; i < N_OUT; i++) {
            target[i] = (float) random.nextGaussian();
          }
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
          if (!ce) { // the prediction the reply carries is the one the loss was taken at
            double mse = ((y[0] - target[0]) * (double) (y[0] - target[0])
                + (y[1] - target[1]) * (double) (y[1] - target[1])) / N_OUT;
            assertEquals(mse, got, 1e-5 * Math.max(1, mse), "prediction at step " + k);
          }
        }
        assertArrayEquals(p.data(), settledWeights(c, updates), ruleId + " " + loss);
        LearnerClient.Stats st = c.stats();
        assertEquals(3 * T + 2, st.steps());
        assertEquals(updates, st.updates());
      }
    }
  }

  @Test
  void malformedRequestsGetAnErrorAndTheServiceGoesOn() throws IOException {
    try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
      byte[] id = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(7).array();
      assertEquals(Protocol.ERROR, c.raw(Protocol.STEP, id));
      assertTrue(c.lastErrorMessage().contains("before OPEN"), c.lastErrorMessage());
      assertEquals(Protocol.ERROR, c.raw(42, id));
      assertTrue(c.lastErrorMessage().contains("unknown message type 42"));
      assertEquals(Protocol.ERROR, c.raw(Protocol.STATS, new byte[3]));
      assertTrue(c.lastErrorMessage().contains("no correlation id"));
      ServiceError bad = assertThrows(ServiceError.class, () -> c.open("{\"inputs\": 3"));
      assertEquals(Protocol.E_BAD_CONFIG, bad.code());
      ServiceError unknown = assertThrows(ServiceError.class,
          () -> c.open(json("a", "bptt", "mse")));
      assertTrue(unknown.getMessage().contains("no online mode"), unknown.getMessage());
      c.open(json("a", "eprop", "mse"));
      byte[] shortStep = new byte[8 + 12];
      assertEquals(Protocol.ERROR, c.raw(Protocol.STEP, shortStep));
      assertTrue(c.lastErrorMessage().contains("body bytes"), c.lastErrorMessage());
      ServiceError twice = assertThrows(ServiceError.class, () -> c.open(json("b", "eprop",
          "mse")));
      assertEquals(Protocol.E_ALREADY_OPEN, twice.code());
      float[] y = new float[N_OUT];
      double l = c.step(new float[N_IN], new float[N_OUT], 0, true, y);
      assertTrue(Double.isFinite(l));
      assertEquals(1, c.stats().steps());
    }
  }

  /**
   * A client that dies mid-message (half a record in its ring, its process gone) loses its slot
   * and its learner is snapshotted; so does a live client silent for longer than the timeout.
   * One slot only: the next client gets it only if it was reclaimed.
   */
  @Test
  void deadOrSilentClientsAreReclaimed() throws Exception {
    ServiceConfig cfg = new ServiceConfig(new IpcLayout(1, 1 << 12, 1 << 13, 1 << 16), 1_500,
        "yield");
    try (RunningService r = RunningService.start(dir, cfg)) {
      LearnerClient dead = r.connect();
      dead.open(json("dying", "eprop", "mse"));
      dead.step(new float[N_IN], new float[N_OUT], 0, true, new float[N_OUT]);
      // half a record: a negative length at the ring's tail, the rest never written
      UnsafeBuffer ring = r.service().ipc().requestBuffer(0);
      long tail = ring.getLong((1 << 12) + RingBufferDescriptor.TAIL_POSITION_OFFSET);
      ring.putIntVolatile((int) (tail & ((1 << 12) - 1)), -64);
      dead.abandon();
      assertThrows(IOException.class, () -> r.connect(0), "slot still taken");
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      r.service().ipc().slotHeader(0).putLongVolatile(IpcLayout.S_CLIENT_PID, gone.pid());
      waitFree(r);
      assertTrue(Files.exists(dir.resolve("learners/dying/params.npy")));
      try (LearnerClient next = r.connect()) {
        assertTrue(next.open(json("dying", "eprop", "mse")).restored());
        next.step(new float[N_IN], new float[N_OUT], 0, true, new float[N_OUT]);
        assertEquals(2, next.stats().steps()); // the counters come back with the snapshot
        // silent: no request for longer than the timeout
        Thread.sleep(2_500);
        waitFree(r);
        ServiceError reclaimed = assertThrows(ServiceError.class, next::stats);
        assertTrue(reclaimed.getMessage().contains("reclaimed slot 0"), reclaimed.getMessage());
      }
      try (LearnerClient again = r.connect()) {
        assertTrue(again.open(json("dying", "eprop", "mse")).restored());
      }
    }
  }

  /** A killed service leaves its file saying ready: a client does not connect to it. */
  @Test
  void aFileWhoseServiceProcessIsGoneIsNotServed() throws Exception {
    ServiceConfig cfg = new ServiceConfig(new IpcLayout(1, 1 << 12, 1 << 13, 1 << 16), 60_000,
        "yield");
    try (RunningService r = RunningService.start(dir, cfg)) {
      UnsafeBuffer header = r.service().ipc().header();
      long pid = header.getLong(IpcLayout.H_SERVICE_PID);
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      header.putLongVolatile(IpcLayout.H_SERVICE_PID, gone.pid());
      IOException e = assertThrows(IOException.class, () -> r.connect(0));
      assertTrue(e.getMessage().contains("not ready"), e.getMessage());
      header.putLongVolatile(IpcLayout.H_SERVICE_PID, pid);
      try (LearnerClient c = r.connect(0)) {
        c.ping();
      }
    }
  }

  /**
   * A service that stops answering (its thread stopped, its file still ready, its process
   * alive) fails a call instead of hanging, once its heartbeat is older than the client's limit:
   * the default 5 s a client gets from {@code connect(dir, waitMs)}, the heartbeat aged 6 s
   * (written, not waited for: the service thread no longer refreshes it). A hang fails the test
   * (a spinning client does not answer an interrupt, so the limit runs on a thread of its own).
   */
  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aSilentServiceFailsTheCallInsteadOfHanging() throws IOException {
    try (RunningService r = RunningService.start(dir);
        LearnerClient c = LearnerClient.connect(dir, 5_000)) {
      c.ping();
      r.stopRunner();
      UnsafeBuffer header = r.service().ipc().header();
      long beat = header.getLongVolatile(IpcLayout.H_SERVICE_HEARTBEAT);
      header.putLongVolatile(IpcLayout.H_SERVICE_HEARTBEAT,
          beat - LearnerClient.SERVICE_SILENCE_MS - 1_000);
      ServiceError e = assertThrows(ServiceError.class, c::ping);
      assertTrue(e.getMessage().contains("not running (silent for"), e.getMessage());
    }
  }

  private static void waitFree(RunningService r) throws InterruptedException {
    while (r.service().ipc().slotHeader(0).getIntVolatile(IpcLayout.S_STATE) != IpcLayout.FREE) {
      Thread.sleep(20); // bounded by the class's @Timeout: a slot never reclaimed fails there
    }
  }

  /**
   * A client that sends without reading replies fills its reply ring; the service then stops
   * taking its requests, its request ring fills and offers fail; nothing is dropped: once the
   * client drains, every request has exactly one reply.
   */
  @Test
  void aFullRingPushesBackAndDropsNothing() throws IOException, InterruptedException {
    ServiceConfig cfg = new ServiceConfig(new IpcLayout(2, 1 << 12, 1 << 13, 1 << 16), 60_000,
        "yield");
    try (RunningService r = RunningService.start(dir, cfg); LearnerClient c = r.connect()) {
      c.open(json("bp", "eprop", "mse"));
      float[] x = new float[N_IN];
      float[] target = new float[N_OUT];
      int sent = 0;
      int refusals = 0; // consecutive refused offers, 10 ms apart
      while (refusals < 50) {
        if (c.offerStep(x, target, 0, true)) {
          sent++;
          refusals = 0;
        } else {
          refusals++;
          Thread.sleep(10);
        }
        assertTrue(sent < 100_000, "the ring never pushed back");
      }
      // refused 50 times over at least 0.5 s: both rings are full (the reply ring holds >= 178 STEP replies of 40
      // bytes besides the room kept for an error, the request ring >= 72 requests of 56 bytes)
      assertTrue(sent >= 178 + 72, "fewer requests than the two rings hold: " + sent);
      int replies = 0;
      while (replies < sent) { // bounded by the class's @Timeout
        int type = c.pollReply();
        if (type != 0) {
          assertEquals(Protocol.STEP, type);
          replies++;
        }
      }
      assertEquals(0, c.pollReply());
      assertEquals(sent, c.stats().steps());
    }
  }

  @Test
  void aRestartedServiceRestoresLearnersFromTheirLastSnapshot() throws IOException {
    String json = json("kept", "rflo", "mse");
    float[] before;
    try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
      c.open(json);
      float[] x = {1, 2, 3, 4, 5};
      for (int k = 0; k < 10; k++) {
        c.step(x, new float[] {1, -1}, 0, true, new float[N_OUT]);
      }
      before = settledWeights(c, 10);
    } // the client leaves (the service snapshots its learner), then the service stops
    try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
      assertTrue(c.open(json).restored());
      assertArrayEquals(before, settledWeights(c, 10));
    }
  }

  private static String json(String name, String rule, String optimizer, String loss) {
    return json(name, rule, loss).replace("\"adam\"", "\"" + optimizer + "\"");
  }

  /** Runs {@code count} steps with learning (input and target a function of the step k0 + k). */
  private static void train(LearnerClient c, int k0, int count) {
    float[] x = new float[N_IN];
    float[] target = new float[N_OUT];
    float[] y = new float[N_OUT];
    for (int k = k0; k < k0 + count; k++) {
      for (int i = 0; i < N_IN; i++) {
        x[i] = (float) Math.sin(0.7 * k + i);
      }
      target[0] = (float) Math.cos(0.3 * k);
      target[1] = -target[0];
      c.step(x, target, k % N_OUT, true, y);
    }
  }

  /**
   * Snapshot, service restart and restore at a sequence boundary, then more training, gives the
   * same parameter bits and counters as training straight through: the snapshot keeps the
   * optimizer's state (Adam's moments and step count, momentum's velocity), not only the
   * parameters.
   */
  @ParameterizedTest
  @ValueSource(strings = {"adam", "momentum", "nesterov"})
  void restoredMidTrainingContinuesBitForBit(String optimizer) throws IOException {
    for (String ruleId : new String[] {"eprop", "rflo", "rtrl"}) {
      float[] straight;
      LearnerClient.Stats straightStats;
      try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
        c.open(json("straight-" + ruleId + optimizer, ruleId, optimizer, "mse"));
        train(c, 0, 5 * T);
        straight = settledWeights(c, 5 * T);
        straightStats = c.stats();
      }
      String stopped = json("stopped-" + ruleId + optimizer, ruleId, optimizer, "mse");
      try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
        c.open(stopped);
        train(c, 0, 2 * T);
      } // the client leaves (snapshot), the service stops
      try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
        assertTrue(c.open(stopped).restored());
        train(c, 2 * T, 3 * T);
        assertEquals(straightStats, c.stats(), ruleId + " " + optimizer);
        assertArrayEquals(straight, settledWeights(c, 5 * T), ruleId + " " + optimizer);
      }
    }
  }

  /** A snapshot made with another optimizer is refused with a message naming the snapshot. */
  @Test
  void aSnapshotOfAnotherOptimizerIsRefused() throws IOException {
    try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
      c.open(json("switch", "eprop", "adam", "mse"));
      train(c, 0, 3);
      c.closeLearner();
      ServiceError e = assertThrows(ServiceError.class,
          () -> c.open(json("switch", "eprop", "momentum", "mse")));
      assertEquals(Protocol.E_BAD_CONFIG, e.code());
      assertTrue(e.getMessage().contains("learners/switch") && e.getMessage().contains("adam"),
          e.getMessage());
    }
  }

  /**
   * LEARN with an error: a deferred step, then the client's e_t = dl_t/dy_t = (2/N_out)(y_t -
   * y*_t), matches the step with the target y*_t (up to the f32 rounding of the target the
   * service rebuilds, y_t - (N_out/2) e_t), for every online rule family.
   */
  @ParameterizedTest
  @ValueSource(strings = {"eprop", "rflo", "rtrl"})
  void learningFromTheClientsErrorMatchesLearningFromTheTarget(String ruleId) throws IOException {
    try (RunningService r = RunningService.start(dir); LearnerClient byTarget = r.connect();
        LearnerClient byError = r.connect()) {
      byTarget.open(json("target-" + ruleId, ruleId, "mse"));
      byError.open(json("error-" + ruleId, ruleId, "mse"));
      float[] x = new float[N_IN];
      float[] target = new float[N_OUT];
      float[] y = new float[N_OUT];
      float[] yd = new float[N_OUT];
      float[] e = new float[N_OUT];
      for (int k = 0; k < 3 * T; k++) {
        for (int i = 0; i < N_IN; i++) {
          x[i] = (float) Math.sin(0.7 * k + i);
        }
        target[0] = (float) Math.cos(0.3 * k);
        target[1] = 0.5f;
        double l = byTarget.step(x, target, 0, true, y);
        byError.predict(x, yd);
        assertArrayEquals(y, yd, 1e-5f, "the prediction of step " + k);
        for (int i = 0; i < N_OUT; i++) {
          e[i] = (float) (2.0 * (yd[i] - target[i]) / N_OUT);
        }
        double surrogate = byError.learnError(e, true);
        assertEquals(l, surrogate, 1e-4 * Math.max(1, l), "the loss of step " + k);
      }
      float[] a = settledWeights(byTarget, 3 * T);
      float[] b = settledWeights(byError, 3 * T);
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 1e-5 * Math.max(1, Math.abs(a[i])), ruleId + ": parameter " + i);
      }
    }
  }

  /**
   * LEARN with a reward is the error e_t = -(r_t - b_t)(a_t - y_t) with the running baseline
   * b_{t+1} = b_t + beta (r_t - b_t): two learners, one given rewards, one the errors this test
   * computes from them, end with the same parameter bits, and the advantages match.
   */
  @Test
  void aRewardIsTheReinforceErrorWithARunningBaseline() {
    LearnerConfig c = LearnerConfig.parse(json("reward", "eprop", "mse"));
    OnlineLearner byReward = new OnlineLearner(c);
    OnlineLearner byError = new OnlineLearner(c);
    RandomStream random = new RandomStream(5);
    float[] x = new float[N_IN];
    float[] y = new float[N_OUT];
    float[] a = new float[N_OUT];
    float[] e = new float[N_OUT];
    double baseline = 0;
    for (int k = 0; k < 4 * T; k++) {
      for (int i = 0; i < N_IN; i++) {
        x[i] = (float) random.nextGaussian();
      }
      byReward.predict(x, 0, y, 0);
      byError.predict(x, 0, y, 0);
      double reward = 0;
      for (int i = 0; i < N_OUT; i++) {
        a[i] = y[i] + 0.3f * (float) random.nextGaussian();
        reward -= (a[i] - 1.0) * (a[i] - 1.0);
      }
      double advantage = reward - baseline;
      for (int i = 0; i < N_OUT; i++) {
        e[i] = (float) (-advantage * (a[i] - y[i]));
      }
      assertEquals(advantage, byReward.learnReward(reward, a, 0, true), 0.0, "step " + k);
      byError.learnError(e, 0, true);
      baseline += c.baselineRate() * (reward - baseline);
    }
    assertArrayEquals(byError.parameters().data(), byReward.parameters().data());
  }

  /**
   * REINFORCE through the service learns: rewarded for actions near 1 (r = -(a - 1)^2, Gaussian
   * exploration around y_t), the prediction moves from near 0 to near 1.
   */
  @Test
  void rewardsTeachTheLearnerTheRewardedAction() throws IOException {
    String config = "{\"name\": \"bandit\", \"inputs\": 2, \"hidden\": 8, \"outputs\": 1, "
        + "\"rule\": \"eprop\", \"optimizer\": \"sgd\", \"lr\": 0.5, \"seed\": 2, "
        + "\"steps\": 10}";
    try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
      c.open(config);
      RandomStream random = new RandomStream(9);
      float[] x = {1f, 0.5f};
      float[] y = new float[1];
      float[] action = new float[1];
      c.predict(x, y);
      c.learnReward(0, y, false);
      double first = y[0];
      double late = 0;
      for (int k = 0; k < 3000; k++) {
        c.predict(x, y);
        action[0] = y[0] + 0.2f * (float) random.nextGaussian();
        c.learnReward(-(action[0] - 1.0) * (action[0] - 1.0), action, true);
        if (k >= 2900) {
          late += y[0] / 100.0;
        }
      }
      assertTrue(Math.abs(first) < 0.5, "starts away from 1: " + first);
      assertEquals(1.0, late, 0.1, "the mean prediction of the last 100 steps");
    }
  }

  @Test
  void learnMessagesOutOfOrderGetAnErrorAndTheServiceGoesOn() throws IOException {
    try (RunningService r = RunningService.start(dir); LearnerClient c = r.connect()) {
      c.open(json("order", "eprop", "mse"));
      float[] y = new float[N_OUT];
      ServiceError early = assertThrows(ServiceError.class,
          () -> c.learnError(new float[N_OUT], true));
      assertEquals(Protocol.E_ORDER, early.code());
      c.predict(new float[N_IN], y);
      ServiceError twice = assertThrows(ServiceError.class,
          () -> c.step(new float[N_IN], new float[N_OUT], 0, true, y));
      assertEquals(Protocol.E_ORDER, twice.code());
      assertTrue(twice.getMessage().contains("awaits its LEARN"), twice.getMessage());
      c.reset(); // drops the deferred step
      c.step(new float[N_IN], new float[N_OUT], 0, true, y);
      assertEquals(1, c.stats().steps());
      c.closeLearner();
      c.open(json("order-ce", "eprop", "cross-entropy"));
      c.predict(new float[N_IN], y);
      ServiceError ce = assertThrows(ServiceError.class,
          () -> c.learnReward(1.0, new float[N_OUT], true));
      assertTrue(ce.getMessage().contains("regression (mse) learner"), ce.getMessage());
    }
  }

  /** A file of another protocol version is refused, naming both versions. */
  @Test
  void anOldProtocolVersionIsRefused() throws IOException {
    try (RunningService r = RunningService.start(dir)) {
      r.service().ipc().header().putIntVolatile(IpcLayout.H_VERSION, 1);
      IOException e = assertThrows(IOException.class, () -> r.connect(0));
      assertTrue(e.getMessage().contains("version 1, this client " + IpcLayout.VERSION),
          e.getMessage());
    }
  }
}
