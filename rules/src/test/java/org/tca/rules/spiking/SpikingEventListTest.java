package org.tca.rules.spiking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * The event-driven forward and weight sums equal their dense definitions: the forward pass (drive
 * summed over the listed input events and spikes) matches {@link FloatSpikingNetwork#step} (which
 * scans x_t and z_{t-1} densely) bit for bit, the lists hold exactly the nonzero entries, and the
 * event-driven dW_in = sum_t du_t' x_t and dW_rec = sum_t du_t' z_{t-1} match dense double sums
 * over every (t, b, i) within f32 accumulation error. Random spike patterns, every unit spiking at
 * every step, and no spike at all.
 */
class SpikingEventListTest {

  private static final int N_IN = 5;
  private static final int N = 12;
  private static final int B = 3;
  private static final int T = 40;

  /** The spike regimes. */
  enum Regime {
    RANDOM, ALL_SPIKING, SILENT
  }

  @ParameterizedTest
  @EnumSource(Regime.class)
  void eventDrivenPassesEqualDenseOnes(Regime regime) {
    ModelConfig base = ModelConfig.builder(N_IN, N, 2).recurrentBias(false).l2(0).build();
    SpikingConfig c = new SpikingConfig(base, N / 2, 5, 5, 0.01, 0.3, 0.3,
        regime == Regime.ALL_SPIKING ? 0 : 2, 4, 0.1, 0.05);
    FloatParameters p = FloatParameters.initialize(base, 3);
    float[] w = p.data();
    var win = p.view(Block.W_IN);
    var wrec = p.view(Block.W_REC);
    FloatBatch batch = FloatBatch.classification(T, B, N_IN, 2, true);
    RandomStream r = new RandomStream(5);
    for (int i = 0; i < batch.x().length; i++) {
      batch.x()[i] = switch (regime) {
        case RANDOM -> r.nextDouble() < 0.3 ? (float) (0.5 + r.nextDouble()) : 0f;
        case ALL_SPIKING -> 1f;
        case SILENT -> 0f;
      };
    }
    for (int i = win.offset(); i < win.end(); i++) {
      w[i] = regime == Regime.ALL_SPIKING ? 1f : 4f * w[i];
    }
    for (int i = wrec.offset(); i < wrec.end(); i++) {
      w[i] = regime == Regime.ALL_SPIKING ? Math.abs(w[i]) : 2f * w[i];
    }
    FloatSpikingGradient rule = FloatSpikingGradient.bptt(c, Kernels.f32());
    FloatSpikingWorkspace ws = rule.newWorkspace(B, T);
    float[] grad = p.newGradient();
    rule.gradient(p, batch, ws, grad);
    FloatSpikingTrajectory tr = ws.trajectory();

    double rate = rule.network().meanRate(tr);
    switch (regime) {
      case RANDOM -> assertTrue(rate > 0.02 && rate < 0.5, "rate " + rate);
      case ALL_SPIKING -> assertEquals(1.0, rate);
      case SILENT -> assertEquals(0.0, rate);
    }
    assertForwardIsDense(rule.network(), p, batch, tr);
    assertListsHoldTheEvents(batch, tr);
    assertWeightSumsAreDense(base, p, batch, ws, grad);
  }

  private static void assertForwardIsDense(FloatSpikingNetwork net, FloatParameters p,
      FloatBatch batch, FloatSpikingTrajectory tr) {
    int nb = B * N;
    float[] inT = new float[N_IN * N];
    float[] recT = new float[N * N];
    net.transpose(p, inT, recT);
    float[] v = new float[2 * nb];
    float[] a = new float[2 * nb];
    float[] z = new float[(T + 1) * nb];
    float[] psi = new float[(T + 1) * nb];
    int[] refractory = new int[nb];
    for (int t = 0; t < T; t++) {
      int cur = ((t + 1) & 1) * nb;
      int prev = (t & 1) * nb;
      net.step(inT, recT, batch.x(), batch.xOffset(t, 0), B, v, prev, v, cur, a, prev, a, cur, z,
          t * nb, z, (t + 1) * nb, psi, (t + 1) * nb, refractory);
    }
    assertArrayEquals(z, java.util.Arrays.copyOf(tr.z(), z.length), "z");
    assertArrayEquals(psi, java.util.Arrays.copyOf(tr.psi(), psi.length), "psi");
  }

  private static void assertListsHoldTheEvents(FloatBatch batch, FloatSpikingTrajectory tr) {
    for (int s = 0; s <= T; s++) {
      for (int b = 0; b < B; b++) {
        List<Integer> dense = new ArrayList<>();
        for (int i = 0; i < N; i++) {
          if (tr.z()[tr.slot(s) + b * N + i] != 0f) {
            dense.add(i);
          }
        }
        List<Integer> listed = new ArrayList<>();
        for (int q = tr.spikeStart[s * B + b]; q < tr.spikeStart[s * B + b + 1]; q++) {
          listed.add(tr.spikes[q]);
        }
        assertEquals(dense, listed, "spikes of slot " + s + ", sample " + b);
        if (s < T) {
          List<Integer> inputs = new ArrayList<>();
          List<Integer> listedInputs = new ArrayList<>();
          for (int i = 0; i < N_IN; i++) {
            if (batch.x()[batch.xOffset(s, b) + i] != 0f) {
              inputs.add(i);
            }
          }
          for (int q = tr.inputStart[s * B + b]; q < tr.inputStart[s * B + b + 1]; q++) {
            listedInputs.add(tr.inputs[q]);
          }
          assertEquals(inputs, listedInputs, "inputs of step " + s + ", sample " + b);
        }
      }
    }
  }

  /** The rate term is on, so du_t is set for every t = 0..T-1. */
  private static void assertWeightSumsAreDense(ModelConfig base, FloatParameters p,
      FloatBatch batch, FloatSpikingWorkspace ws, float[] grad) {
    FloatSpikingTrajectory tr = ws.trajectory();
    int win = p.view(Block.W_IN).offset();
    int wrec = p.view(Block.W_REC).offset();
    for (int j = 0; j < N; j++) {
      for (int i = 0; i < N_IN + N; i++) {
        double sum = 0;
        double abs = 0;
        for (int t = 0; t < T; t++) {
          for (int b = 0; b < B; b++) {
            double du = ws.du[(t * B + b) * N + j];
            double pre = i < N_IN ? batch.x()[batch.xOffset(t, b) + i]
                : tr.z()[tr.slot(t) + b * N + i - N_IN];
            sum += du * pre;
            abs += Math.abs(du * pre);
          }
        }
        boolean autapse = i - N_IN == j;
        float got = i < N_IN ? grad[win + j * N_IN + i] : grad[wrec + j * N + i - N_IN];
        double expected = autapse ? 0 : sum;
        assertEquals(expected, got, 1e-5 * abs + 1e-30, "dW[" + j + "][" + i + "]");
      }
    }
  }
}
