package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.PrecisionConversion;
import org.tca.rules.spiking.DoubleSpikingGradient;
import org.tca.rules.spiking.DoubleSpikingMdgl;
import org.tca.rules.spiking.DoubleSpikingNetwork;
import org.tca.rules.spiking.DoubleSpikingRtrl;
import org.tca.rules.spiking.DoubleSpikingTrajectory;
import org.tca.rules.spiking.DoubleSpikingTruncatedBptt;
import org.tca.rules.spiking.FloatSpikingGradient;
import org.tca.rules.spiking.FloatSpikingTruncatedBptt;
import org.tca.rules.spiking.SpikingConfig;

/**
 * The spiking rules beyond BPTT and e-prop against oracles, over the cases of
 * {@link SpikingGradientTest} (f64 twins, so the tolerances are rounding: 1e-11 of the largest
 * entry for T = 30 steps):
 *
 * <ul>
 *   <li>RTRL (forward mode) equals BPTT (reverse mode, itself checked against finite
 *       differences);
 *   <li>truncated BPTT with k &gt;= T equals BPTT (f64, and f32 within 4 T u normwise); with
 *       k = 1 it equals the immediate-step gradient written densely, du_t = psi_t . (W_out' dy_t
 *       + dR/dz_t);
 *   <li>MDGL equals its definition written densely in forward mode: per-synapse e-prop traces
 *       e_ji,t = psi_j,t (qbar_i,t - beta eps^a_ji,t) run forward, times
 *       L_t = D_t + Wt' (psi_{t+1} . D_{t+1}) with D_t the directly filtered readout error plus
 *       dR/dz_t summed over the future by its definition; the same oracle with L = D reproduces
 *       e-prop (so it is tied to the FD-checked rule), and MDGL differs from e-prop.
 * </ul>
 */
class SpikingRuleOraclesTest {

  private static double maxAbs(double[] g) {
    double m = 0;
    for (double v : g) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    double tol = 1e-11 * maxAbs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, what + " entry " + i);
    }
  }

  private static double[] gradient(DoubleLearningRule rule, SpikingGradientTest.Case k) {
    DoubleParameters p = SpikingGradientTest.parameters(k);
    DoubleBatch batch = SpikingGradientTest.batch(k);
    double[] g = p.newGradient();
    rule.gradient(p, batch, rule.newWorkspace(batch.size(), batch.steps()), g);
    return g;
  }

  private static double[] bptt(SpikingGradientTest.Case k) {
    return gradient(DoubleSpikingGradient.bptt(k.config()), k);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.tca.rules.learning.SpikingGradientTest#cases")
  void rtrlEqualsBptt(SpikingGradientTest.Case k) {
    assertClose(bptt(k), gradient(new DoubleSpikingRtrl(k.config(), Kernels.scalarF64()), k),
        "rtrl " + k);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.tca.rules.learning.SpikingGradientTest#cases")
  void truncatedBpttWithTheWholeSequenceIsBptt(SpikingGradientTest.Case k) {
    double[] exact = bptt(k);
    for (int window : new int[] {SpikingGradientTest.T, SpikingGradientTest.T + 7}) {
      assertClose(exact, gradient(new DoubleSpikingTruncatedBptt(k.config(), window,
          Kernels.scalarF64()), k), "tbptt(" + window + ") " + k);
    }
    FloatParameters p = PrecisionConversion.narrow(SpikingGradientTest.parameters(k));
    var batch = SpikingOnlineTest.narrow(SpikingGradientTest.batch(k));
    float[] full = p.newGradient();
    float[] truncated = p.newGradient();
    FloatSpikingGradient b = FloatSpikingGradient.bptt(k.config(), Kernels.scalarF32());
    b.gradient(p, batch, b.newWorkspace(batch.size(), batch.steps()), full);
    FloatSpikingTruncatedBptt t = new FloatSpikingTruncatedBptt(k.config(), batch.steps(),
        Kernels.scalarF32());
    t.gradient(p, batch, t.newWorkspace(batch.size(), batch.steps()), truncated);
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < full.length; i++) {
      diff += (double) (full[i] - truncated[i]) * (full[i] - truncated[i]);
      norm += (double) full[i] * full[i];
    }
    double bound = 4.0 * batch.steps() * Math.scalb(1.0, -24);
    assertTrue(Math.sqrt(diff) <= bound * Math.sqrt(norm), "f32 tbptt(T) vs bptt " + k + ": "
        + Math.sqrt(diff) + " > 4 T u |bptt| = " + bound * Math.sqrt(norm));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.tca.rules.learning.SpikingGradientTest#cases")
  void truncatedBpttWindowOneIsTheImmediateStep(SpikingGradientTest.Case k) {
    double[] oracle = denseOracle(k, Signal.IMMEDIATE);
    double[] g = gradient(new DoubleSpikingTruncatedBptt(k.config(), 1, Kernels.scalarF64()), k);
    assertClose(oracle, g, "tbptt(1) " + k);
    assertDiffers(bptt(k), g, "tbptt(1) vs bptt " + k);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.tca.rules.learning.SpikingGradientTest#cases")
  void mdglEqualsItsDefinition(SpikingGradientTest.Case k) {
    double[] eprop = gradient(DoubleSpikingGradient.eprop(k.config()), k);
    assertClose(eprop, denseOracle(k, Signal.DIRECT), "dense e-prop oracle vs e-prop " + k);
    double[] mdgl = gradient(new DoubleSpikingMdgl(k.config(), false, Kernels.scalarF64()), k);
    assertClose(denseOracle(k, Signal.MDGL), mdgl, "mdgl " + k);
    assertDiffers(eprop, mdgl, "mdgl vs e-prop " + k);
    double[] cellType = gradient(new DoubleSpikingMdgl(k.config(), true, Kernels.scalarF64()), k);
    assertClose(denseOracle(k, Signal.MDGL_CELL_TYPE), cellType, "mdgl-celltype " + k);
    assertDiffers(mdgl, cellType, "mdgl-celltype vs mdgl " + k);
  }

  private static void assertDiffers(double[] a, double[] b, String what) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    assertTrue(d > 1e-6 * maxAbs(a), what + ": the two should differ, max |diff| = " + d);
  }

  enum Signal { DIRECT, MDGL, MDGL_CELL_TYPE, IMMEDIATE }

  /**
   * The W_in and W_rec blocks from dense forward-mode definitions (plus l2 W and the masks), the
   * readout blocks copied from BPTT (every rule gets the exact readout gradient).
   */
  private static double[] denseOracle(SpikingGradientTest.Case k, Signal signal) {
    SpikingConfig c = k.config();
    DoubleParameters p = SpikingGradientTest.parameters(k);
    DoubleBatch batch = SpikingGradientTest.batch(k);
    DoubleSpikingNetwork net = new DoubleSpikingNetwork(c);
    int bs = batch.size();
    int steps = batch.steps();
    int n = c.hidden();
    int nIn = c.base().inputs();
    int nOut = c.base().outputs();
    DoubleSpikingTrajectory tr = new DoubleSpikingTrajectory(c, bs, steps);
    net.forward(p, batch, tr);
    double[] dy = new double[steps * bs * nOut];
    net.loss(batch, tr, dy);
    double[] dr = new double[bs * n];
    net.rateLoss(tr, dr);
    double[][] wRec = block(p, Block.W_REC, n, n);
    double[][] wOut = block(p, Block.W_OUT, nOut, n);
    double[][] wt = signal == Signal.MDGL_CELL_TYPE ? typeMeans(c, wRec) : wRec;
    double alpha = c.alpha();
    double rho = c.rho();
    double kappa = c.kappa();
    int width = nIn + n;
    double[][] g = new double[n][width];
    for (int b = 0; b < bs; b++) {
      double[][] d = new double[steps][n]; // D_t, by its definition
      for (int t = 0; t < steps; t++) {
        for (int j = 0; j < n; j++) {
          double s = dr[b * n + j];
          for (int u = t; u < steps; u++) {
            if (batch.lossMask()[u] != 0) {
              for (int o = 0; o < nOut; o++) {
                s += Math.pow(kappa, u - t) * wOut[o][j] * dy[tr.yOffset(u) + b * nOut + o];
              }
            }
          }
          d[t][j] = s;
        }
      }
      double[] qbar = new double[width];
      double[][] epsA = new double[n][width];
      double[][] e = new double[n][width];
      for (int t = 0; t < steps; t++) {
        double[] psiPrev = row(tr.psi(), tr.slot(t) + b * n, n);
        double[] psi = row(tr.psi(), tr.slot(t + 1) + b * n, n);
        double[] zPrev = row(tr.z(), tr.slot(t) + b * n, n);
        for (int j = c.firstAdaptive(); j < n; j++) {
          for (int i = 0; i < width; i++) {
            epsA[j][i] = (rho - c.beta() * psiPrev[j]) * epsA[j][i] + psiPrev[j] * qbar[i];
          }
        }
        for (int i = 0; i < width; i++) {
          double q = i < nIn ? batch.x()[batch.xOffset(t, b) + i] : zPrev[i - nIn];
          qbar[i] = alpha * qbar[i] + q;
        }
        for (int j = 0; j < n; j++) {
          double beta = j >= c.firstAdaptive() ? c.beta() : 0;
          for (int i = 0; i < width; i++) {
            e[j][i] = psi[j] * (qbar[i] - beta * epsA[j][i]);
          }
        }
        double[] l = new double[n];
        for (int p2 = 0; p2 < n; p2++) {
          if (signal == Signal.IMMEDIATE) {
            double s = dr[b * n + p2];
            if (batch.lossMask()[t] != 0) {
              for (int o = 0; o < nOut; o++) {
                s += wOut[o][p2] * dy[tr.yOffset(t) + b * nOut + o];
              }
            }
            l[p2] = s;
            continue;
          }
          l[p2] = d[t][p2];
          if (signal != Signal.DIRECT && t + 1 < steps) {
            double[] psiNext = row(tr.psi(), tr.slot(t + 2) + b * n, n);
            for (int j = 0; j < n; j++) {
              l[p2] += wt[j][p2] * psiNext[j] * d[t + 1][j];
            }
          }
        }
        for (int j = 0; j < n; j++) {
          for (int i = 0; i < width; i++) {
            // tBPTT(1): credit only to v_t, i.e. psi_t q_t (no leak, no adaptation)
            double trace = signal == Signal.IMMEDIATE
                ? psi[j] * (i < nIn ? batch.x()[batch.xOffset(t, b) + i] : zPrev[i - nIn])
                : e[j][i];
            g[j][i] += l[j] * trace;
          }
        }
      }
    }
    double[] out = bptt(k);
    BlockView win = p.view(Block.W_IN);
    BlockView wrec = p.view(Block.W_REC);
    double l2 = c.base().l2();
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < nIn; i++) {
        int at = win.index(j, i);
        out[at] = g[j][i] + l2 * p.data()[at];
      }
      for (int i = 0; i < n; i++) {
        int at = wrec.index(j, i);
        out[at] = g[j][nIn + i] + l2 * p.data()[at];
      }
    }
    p.maskGradient(out);
    return out;
  }

  private static double[] row(double[] a, int off, int n) {
    return java.util.Arrays.copyOfRange(a, off, off + n);
  }

  private static double[][] block(DoubleParameters p, Block b, int rows, int cols) {
    BlockView v = p.view(b);
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m[i][j] = p.data()[v.index(i, j)];
      }
    }
    return m;
  }

  /** Wt[j][p] = the mean of W_rec over type(j) x type(p), all pairs. */
  private static double[][] typeMeans(SpikingConfig c, double[][] w) {
    CellTypes types = CellTypes.of(c.base());
    int n = c.hidden();
    double[][] out = new double[n][n];
    for (int j = 0; j < n; j++) {
      for (int p = 0; p < n; p++) {
        int a = types.typeOf(j);
        int b = types.typeOf(p);
        double s = 0;
        for (int jj = types.start(a); jj < types.end(a); jj++) {
          for (int pp = types.start(b); pp < types.end(b); pp++) {
            s += w[jj][pp];
          }
        }
        out[j][p] = s / (types.size(a) * types.size(b));
      }
    }
    return out;
  }
}
