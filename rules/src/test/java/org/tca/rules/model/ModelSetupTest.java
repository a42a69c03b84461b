package org.tca.rules.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tca.numerics.kernels.Activation;

/** Config, layout, initialisation, masks, Dale's law, batches. */
class ModelSetupTest {

  @Test
  void layoutPutsBlocksInOrderWithDenseViews() {
    ModelConfig c = ModelConfig.builder(3, 5, 2).build();
    ParameterLayout l = new ParameterLayout(c);
    assertEquals(new BlockView(Block.W_IN, 0, 5, 3), l.view(Block.W_IN));
    assertEquals(new BlockView(Block.W_REC, 15, 5, 5), l.view(Block.W_REC));
    assertEquals(new BlockView(Block.B_REC, 40, 5, 1), l.view(Block.B_REC));
    assertEquals(new BlockView(Block.W_OUT, 45, 2, 5), l.view(Block.W_OUT));
    assertEquals(new BlockView(Block.B_OUT, 55, 2, 1), l.view(Block.B_OUT));
    assertEquals(57, l.size());
    assertEquals(45, l.recurrentSize());
    assertEquals(15 + 2 * 5 + 3, l.view(Block.W_REC).index(2, 3));
    ParameterLayout noBias = new ParameterLayout(c.toBuilder().recurrentBias(false).build());
    assertFalse(noBias.has(Block.B_REC));
    assertEquals(0, noBias.view(Block.B_REC).size());
    assertEquals(40, noBias.recurrentSize());
    assertEquals(52, noBias.size());
    assertEquals(Block.W_REC, Block.parse("w_rec"));
  }

  @Test
  void configValidatesAndConvertsTau() {
    assertThrows(IllegalArgumentException.class, () -> ModelConfig.builder(3, 5, 2).leak(1.0).build());
    assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.builder(3, 5, 2).cell(Cell.RATE_LEAK).leak(0.0).build());
    assertThrows(IllegalArgumentException.class, () -> ModelConfig.builder(0, 5, 2).build());
    assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.builder(3, 5, 2).connectionProbability(0).build());
    assertEquals(Math.exp(-0.01), ModelConfig.builder(2, 4, 2).tau(100, 1).build().leak(), 0.0);
    assertEquals(0.01,
        ModelConfig.builder(2, 4, 2).cell(Cell.RATE_LEAK).tau(100, 1).build().leak(), 1e-17);
    ModelConfig d = ModelConfig.builder(2, 4, 2).build();
    assertEquals(Cell.VOLTAGE_LEAK, d.cell());
    assertEquals(Activation.RELU, d.activation());
    assertEquals(0.0, d.leak());
    assertEquals(1e-2, d.l2());
    assertTrue(d.noAutapse() && d.recurrentBias() && !d.dale());
    assertEquals(LossKind.CROSS_ENTROPY, d.loss());
  }

  @Test
  void initialisationIsSeededAndHasTheSpecifiedLaws() {
    int nIn = 100;
    int n = 200;
    int nOut = 10;
    ModelConfig c = ModelConfig.builder(nIn, n, nOut).build();
    FloatParameters p = FloatParameters.initialize(c, 42);
    assertArrayEquals(p.data(), FloatParameters.initialize(c, 42).data());
    assertFalse(java.util.Arrays.equals(p.data(), FloatParameters.initialize(c, 43).data()));
    assertVariance(p, Block.W_IN, 2.0 / nIn, n * nIn);
    assertVariance(p, Block.W_REC, 2.0 / n, n * (n - 1));
    double r = Math.sqrt(6.0 / (n + nOut));
    BlockView out = p.view(Block.W_OUT);
    for (int k = out.offset(); k < out.end(); k++) {
      assertTrue(Math.abs(p.data()[k]) <= r);
    }
    assertVariance(p, Block.W_OUT, r * r / 3, out.size());
    for (int i = 0; i < n; i++) {
      assertEquals(0f, p.get(Block.W_REC, i, i), "autapse " + i);
      assertEquals(0f, p.get(Block.B_REC, i, 0));
    }
    for (int o = 0; o < nOut; o++) {
      assertEquals(0f, p.get(Block.B_OUT, o, 0));
    }
  }

  /**
   * Sample mean of squares of m i.i.d. zero-mean entries with variance s2 (and kurtosis 3 for a
   * normal, 1.8 for a uniform law): its standard deviation is at most s2 sqrt(2/m), so 6 of those
   * is a check that fails only for a wrong law.
   */
  private static void assertVariance(FloatParameters p, Block b, double s2, int m) {
    BlockView v = p.view(b);
    double s = 0;
    int count = 0;
    for (int i = 0; i < v.rows(); i++) {
      for (int j = 0; j < v.cols(); j++) {
        if (b != Block.W_REC || i != j) {
          double x = p.get(b, i, j);
          s += x * x;
          count++;
        }
      }
    }
    assertEquals(m, count);
    assertEquals(s2, s / m, 6 * s2 * Math.sqrt(2.0 / m), b.id() + " variance");
  }

  /** Without Dale only the masked W_rec entries (here the diagonal and sparse holes) go to 0. */
  @Test
  void projectionAndGradientMaskWithoutDaleZeroExactlyTheMaskedEntries() {
    int n = 40;
    ModelConfig c = ModelConfig.builder(3, n, 2).connectionProbability(0.5).build();
    FloatParameters p = FloatParameters.initialize(c, 5);
    RecurrentStructure s = p.structure();
    float[] g = new float[p.data().length];
    for (int k = 0; k < g.length; k++) {
      p.data()[k] = k % 3 == 0 ? -0.5f - k : 0.5f + k;
      g[k] = p.data()[k];
    }
    float[] before = p.data().clone();
    p.project();
    p.maskGradient(g);
    BlockView w = p.view(Block.W_REC);
    int zeroed = 0;
    for (int k = 0; k < before.length; k++) {
      int r = k - w.offset();
      boolean masked = r >= 0 && r < w.size() && !s.allowed(r / n, r % n);
      zeroed += masked ? 1 : 0;
      assertEquals(masked ? 0f : before[k], p.data()[k], "projected " + k);
      assertEquals(masked ? 0f : before[k], g[k], "masked gradient " + k);
    }
    assertEquals(n * n - s.allowedCount(), zeroed);
    assertTrue(zeroed > n, "the mask holds more than the diagonal");
  }

  @Test
  void daleSignsAndSparseMaskAreRespectedAndRestoredByProjection() {
    int n = 60;
    ModelConfig c = ModelConfig.builder(4, n, 3).dale(true).connectionProbability(0.3).build();
    FloatParameters p = FloatParameters.initialize(c, 7);
    RecurrentStructure s = p.structure();
    assertEquals(48, s.excitatoryCount());
    int allowed = 0;
    int positive = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        float w = p.get(Block.W_REC, i, j);
        assertEquals(j < 48 ? 1 : -1, s.sign(j));
        assertTrue(s.sign(j) * w >= 0, "Dale sign at " + i + "," + j);
        if (!s.allowed(i, j)) {
          assertEquals(0f, w);
        } else {
          allowed++;
          positive += w > 0 ? 1 : 0;
        }
      }
      assertFalse(s.allowed(i, i));
    }
    assertEquals(allowed, s.allowedCount());
    double mean = 0.3 * n * (n - 1);
    assertEquals(mean, allowed, 6 * Math.sqrt(mean * 0.7), "sparse mask density");
    assertEquals(allowed * 0.8, positive, 6 * Math.sqrt(allowed * 0.16), "E fraction");
    // an update that flips signs and fills masked entries is projected back
    java.util.Arrays.fill(p.data(), p.view(Block.W_REC).offset(), p.view(Block.W_REC).end(), 0.5f);
    p.set(Block.W_REC, 0, 59, -0.25f);
    p.project();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        float w = p.get(Block.W_REC, i, j);
        float expected = s.allowed(i, j) && j < 48 ? 0.5f : 0f;
        if (i == 0 && j == 59 && s.allowed(0, 59)) {
          expected = -0.25f;
        }
        assertEquals(expected, w, "projected " + i + "," + j);
      }
    }
  }

  @Test
  void autapsesCanBeAllowed() {
    ModelConfig c = ModelConfig.builder(2, 6, 2).noAutapse(false).build();
    FloatParameters p = FloatParameters.initialize(c, 1);
    assertFalse(p.structure().hasMask());
    int nonzeroDiagonal = 0;
    for (int i = 0; i < 6; i++) {
      nonzeroDiagonal += p.get(Block.W_REC, i, i) != 0f ? 1 : 0;
    }
    assertEquals(6, nonzeroDiagonal);
  }

  @Test
  void batchLayoutAndMaskHelpers() {
    FloatBatch b = FloatBatch.classification(5, 3, 2, 4, true);
    assertEquals(5 * 3 * 2, b.x().length);
    assertEquals((2 * 3 + 1) * 2, b.xOffset(2, 1));
    assertEquals(2 * 3 + 1, b.labelIndex(2, 1));
    assertEquals(4, b.lastLossStep());
    b.lossMask(new float[] {0, 1, 1, 0, 2});
    assertEquals(1, b.firstLossStep());
    assertEquals(3, b.lossRunEnd(1));
    assertEquals(0, b.lossRunEnd(0));
    assertEquals(5, b.lossRunEnd(4));
    assertEquals(4.0, b.lossMaskSum());
    b.lossMask(new float[5]);
    assertThrows(IllegalStateException.class, b::lossMaskSum);
    FloatBatch r = FloatBatch.regression(4, 2, 3, 2).lossAtEveryStep();
    assertEquals((3 * 2 + 1) * 2, r.targetOffset(3, 1));
    assertEquals(4.0, r.lossMaskSum());
    assertFalse(r.classification());
  }

  @Test
  void precisionConversionRoundTrips() {
    ModelConfig c = ModelConfig.builder(3, 5, 2).dale(true).build();
    FloatParameters f = FloatParameters.initialize(c, 3).freeze(Block.W_OUT, true);
    DoubleParameters d = PrecisionConversion.widen(f);
    assertTrue(d.isFrozen(Block.W_OUT));
    assertEquals(f.get(Block.W_REC, 1, 2), d.get(Block.W_REC, 1, 2), 0.0);
    assertArrayEquals(f.data(), PrecisionConversion.narrow(d).data());
    assertTrue(PrecisionConversion.narrow(d).isFrozen(Block.W_OUT));
    DoubleParameters into = new DoubleParameters(c, f.structure());
    PrecisionConversion.widen(f, into);
    assertArrayEquals(d.data(), into.data());
    assertTrue(into.isFrozen(Block.W_OUT));
    for (FloatBatch b : new FloatBatch[] {FloatBatch.classification(4, 2, 3, 2, true),
        FloatBatch.regression(4, 2, 3, 2).lossAtEveryStep()}) {
      for (int i = 0; i < b.x().length; i++) {
        b.x()[i] = 0.1f * i - 0.3f;
      }
      if (b.classification()) {
        b.labels()[3] = 1;
      } else {
        b.targets()[5] = -2.5f;
      }
      FloatBatch back = PrecisionConversion.narrow(PrecisionConversion.widen(b));
      assertArrayEquals(b.x(), back.x());
      assertArrayEquals(b.lossMask(), back.lossMask());
      if (b.classification()) {
        assertArrayEquals(b.labels(), back.labels());
      } else {
        assertArrayEquals(b.targets(), back.targets());
      }
    }
  }
}
