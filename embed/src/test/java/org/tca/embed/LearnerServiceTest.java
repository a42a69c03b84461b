package org.tca.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.concurrent.AgentRunner;
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

  /** A running service; close stops it. */
  private record Running(LearnerService service, AgentRunner runner) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      runner.close();
      service.close();
    }
  }

  private Running serve(ServiceConfig config) throws IOException {
    LearnerService s = new LearnerService(dir, config);
    return new Running(s, s.start());
  }

  private Running serve() throws IOException {
    return serve(ServiceConfig.defaults().withIdle("yield"));
  }

  /** Waits until the published weights include {@code updates} updates. */
  private static float[] settledWeights(LearnerClient c, long updates) {
    float[] w = new float[c.parameterCount()];
    while (c.weights(w) != updates) { // bounded by the class's @Timeout
      Thread.onSpinWait();
    }
    return w;
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
      try (Running r = serve(); LearnerClient c = LearnerClient.connect(dir, 5_000)) {
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
    try (Running r = serve(); LearnerClient c = LearnerClient.connect(dir, 5_000)) {
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
    try (Running r = serve(cfg)) {
      LearnerClient dead = LearnerClient.connect(dir, 5_000);
      dead.open(json("dying", "eprop", "mse"));
      dead.step(new float[N_IN], new float[N_OUT], 0, true, new float[N_OUT]);
      // half a record: a negative length at the ring's tail, the rest never written
      UnsafeBuffer ring = r.service().ipc().requestBuffer(0);
      long tail = ring.getLong((1 << 12) + RingBufferDescriptor.TAIL_POSITION_OFFSET);
      ring.putIntVolatile((int) (tail & ((1 << 12) - 1)), -64);
      dead.abandon();
      assertThrows(IOException.class, () -> LearnerClient.connect(dir, 0), "slot still taken");
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      r.service().ipc().slotHeader(0).putLongVolatile(IpcLayout.S_CLIENT_PID, gone.pid());
      waitFree(r);
      assertTrue(Files.exists(dir.resolve("learners/dying/params.npy")));
      try (LearnerClient next = LearnerClient.connect(dir, 5_000)) {
        assertTrue(next.open(json("dying", "eprop", "mse")).restored());
        next.step(new float[N_IN], new float[N_OUT], 0, true, new float[N_OUT]);
        assertEquals(1, next.stats().steps());
        // silent: no request for longer than the timeout
        Thread.sleep(2_500);
        waitFree(r);
        assertThrows(ServiceError.class, next::stats);
      }
      try (LearnerClient again = LearnerClient.connect(dir, 5_000)) {
        assertTrue(again.open(json("dying", "eprop", "mse")).restored());
      }
    }
  }

  private static void waitFree(Running r) throws InterruptedException {
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
    try (Running r = serve(cfg); LearnerClient c = LearnerClient.connect(dir, 5_000)) {
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
    try (Running r = serve(); LearnerClient c = LearnerClient.connect(dir, 5_000)) {
      c.open(json);
      float[] x = {1, 2, 3, 4, 5};
      for (int k = 0; k < 10; k++) {
        c.step(x, new float[] {1, -1}, 0, true, new float[N_OUT]);
      }
      before = settledWeights(c, 10);
    } // the client leaves (the service snapshots its learner), then the service stops
    try (Running r = serve(); LearnerClient c = LearnerClient.connect(dir, 5_000)) {
      assertTrue(c.open(json).restored());
      assertArrayEquals(before, settledWeights(c, 0));
    }
  }
}
