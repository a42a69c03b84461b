package org.tca.rules.spiking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * The spiking rule registry and the rules' memory contracts: ids (those of the rate rules, so
 * one name means one rule on either cell), which rules run online, stateBytesPerSample against
 * the arrays of the rule's own workspace (LearningStateBytesTest's contract; the f64 twin at
 * twice the bytes), online memory independent of T, and zero allocation once warmed up (online
 * steps and offline gradients; scalar kernels, as in SteadyStateAllocationTest).
 */
class SpikingRulesTest {

  private static final FloatKernels KERNELS = Kernels.scalarF32();
  private static final RuleOptions OPTIONS = RuleOptions.defaults().withWindow(3);
  private static final Set<String> ONLINE = Set.of("eprop", "eprop-random", "rtrl", "mdgl",
      "mdgl-celltype", "tbptt");

  /** Mixed LIF/ALIF with refractory period, rate term, Dale and a sparse mask; and LIF only. */
  static List<SpikingConfig> configs() {
    ModelConfig base = ModelConfig.builder(3, 8, 2).recurrentBias(false).dale(true)
        .connectionProbability(0.6).build();
    SpikingConfig mixed = new SpikingConfig(base, 4, 5, 20, 0.7, 0.3, 0.3, 1, 4, 0.1, 0.05);
    return List.of(mixed, mixed.withAdaptive(0).withRate(0, 0.05));
  }

  static List<Object[]> rulesAndConfigs() {
    List<Object[]> out = new ArrayList<>();
    for (String id : FloatSpikingRules.ids()) {
      for (SpikingConfig c : configs()) {
        out.add(new Object[] {id, c});
      }
    }
    return out;
  }

  static FloatBatch batch(int bs, int steps, long seed) {
    FloatBatch b = FloatBatch.classification(steps, bs, 3, 2, true).lossAtEveryStep();
    RandomStream r = new RandomStream(seed);
    for (int i = 0; i < b.x().length; i++) {
      b.x()[i] = r.nextDouble() < 0.4 ? 1f : 0f;
    }
    for (int i = 0; i < b.labels().length; i++) {
      b.labels()[i] = r.nextInt(2);
    }
    return b;
  }

  @Test
  void idsAreThoseOfTheRateRules() {
    assertTrue(FloatRules.ids().containsAll(FloatSpikingRules.ids()), FloatSpikingRules.NAMES);
    SpikingConfig c = configs().get(0);
    for (String id : FloatSpikingRules.ids()) {
      FloatLearningRule rule = FloatSpikingRules.create(id, c, OPTIONS, KERNELS);
      assertEquals(id, rule.id());
      assertEquals(ONLINE.contains(id), rule.supportsOnline(), id);
      assertEquals(ONLINE.contains(id), FloatSpikingRules.create(id, c.withRate(0, 0.05), OPTIONS,
          KERNELS).supportsOnline(), id + " without the rate term");
      assertEquals(c.base(), rule.config());
      assertFalse(rule.settings().isEmpty(), id);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FloatSpikingRules.create("rflo", c, OPTIONS));
    assertEquals("rule 'rflo' does not run on spiking cells (spiking rules: "
        + FloatSpikingRules.NAMES + ")", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new FloatSpikingTruncatedBptt(c, 0, KERNELS));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rulesAndConfigs")
  void stateBytesEqualTheStateArraysOfTheWorkspace(String id, SpikingConfig c) {
    for (int steps : new int[] {3, 9}) {
      FloatLearningRule rule = FloatSpikingRules.create(id, c, OPTIONS, KERNELS);
      int bs = 3;
      FloatWorkspace ws = rule.newWorkspace(bs, steps);
      long held = Float.BYTES * switch (ws) {
        case FloatSpikingOnlineWorkspace o -> o.stateLength();
        case FloatSpikingWorkspace w -> trajectoryPerSample(w.trajectory, bs);
        case FloatSpikingSweepWorkspace w -> trajectoryPerSample(w.base.trajectory, bs);
        default -> throw new AssertionError("no state arrays known for " + ws.getClass());
      };
      long events = Integer.BYTES * switch (ws) {
        case FloatSpikingWorkspace w -> eventsPerSample(w.trajectory, bs);
        case FloatSpikingSweepWorkspace w -> eventsPerSample(w.base.trajectory, bs);
        default -> 0L;
      };
      held += events;
      long bytes = rule.stateBytesPerSample(steps);
      assertTrue(bytes > 0, id);
      assertEquals(held, bytes, id + ": bytes of learning state per sample, T = " + steps);
      assertEquals(2 * bytes - events, DoubleSpikingRules.create(id, c, OPTIONS, Kernels.scalarF64())
          .stateBytesPerSample(steps), id + ": the f64 twin holds doubles");
      if (ONLINE.contains(id)) {
        assertEquals(bytes, rule.stateBytesPerSample(2250), id + ": independent of T");
      }
    }
  }

  private static long trajectoryPerSample(FloatSpikingTrajectory tr, int bs) {
    return ((long) tr.z().length + tr.psi().length + tr.filtered().length + tr.y().length) / bs;
  }

  /** The event lists' ints per sample (not the one closing entry of each row-start array). */
  private static long eventsPerSample(FloatSpikingTrajectory tr, int bs) {
    return ((long) tr.spikes.length + tr.spikeStart.length - 1 + tr.inputs.length
        + tr.inputStart.length - 1) / bs;
  }

  /** A whole online sequence of T = 3000 steps holds no more memory than one of 30. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("onlineRules")
  void onlineMemoryIsIndependentOfTheSequenceLength(String id) {
    SpikingConfig c = configs().get(0);
    FloatLearningRule rule = FloatSpikingRules.create(id, c, OPTIONS, KERNELS);
    FloatParameters p = FloatParameters.initialize(c.base(), 2);
    long[] held = new long[2];
    int[] lengths = {30, 3000};
    for (int i = 0; i < 2; i++) {
      FloatBatch b = batch(1, lengths[i], 5);
      FloatWorkspace ws = rule.newWorkspace(1, lengths[i]);
      float[] g = p.newGradient();
      rule.beginOnline(p, ws);
      for (int t = 0; t < lengths[i]; t++) {
        rule.stepOnline(p, b, t, ws, g);
      }
      held[i] = ws.sizeInBytes();
    }
    assertEquals(held[0], held[1], id + ": workspace bytes after T = 30 vs T = 3000 steps");
  }

  static List<String> onlineRules() {
    return List.copyOf(new java.util.TreeSet<>(ONLINE));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rulesAndConfigs")
  void noAllocationOnceWarm(String id, SpikingConfig c) {
    FloatLearningRule rule = FloatSpikingRules.create(id, c, OPTIONS, KERNELS);
    FloatParameters p = FloatParameters.initialize(c.base(), 3);
    int steps = 6;
    FloatBatch batch = batch(4, steps, 7);
    FloatWorkspace ws = rule.newWorkspace(4, steps);
    float[] grad = p.newGradient();
    assertEquals(0, steadyBytes(() -> rule.gradient(p, batch, ws, grad)), id + " offline");
    if (rule.supportsOnline()) {
      FloatBatch one = batch(1, steps, 8);
      FloatWorkspace ows = rule.newWorkspace(1, steps);
      assertEquals(0, steadyBytes(() -> {
        rule.beginOnline(p, ows);
        for (int t = 0; t < steps; t++) {
          rule.stepOnline(p, one, t, ows, grad);
        }
      }), id + " online");
    }
  }

  private static final com.sun.management.ThreadMXBean MX =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** The least bytes this thread allocated over 50 calls, in up to 1000 rounds after warm-up. */
  private static long steadyBytes(Runnable w) {
    for (int i = 0; i < 200; i++) {
      w.run();
    }
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 1000 && least != 0; round++) {
      long before = MX.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 50; i++) {
        w.run();
      }
      least = Math.min(least, MX.getCurrentThreadAllocatedBytes() - before);
    }
    return least;
  }
}
