package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleNetwork;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;

/**
 * BPTT with W_rec packed once per pass (forward: alpha W_rec' for the T recurrent products;
 * backward: W_rec) gives bit for bit the objective and gradient of the per-step path, here the
 * same vector kernels with {@code packedSize} forced to 0 (the network then transposes W_rec and
 * each GEMM packs it). Sizes where the packed form fits the trajectory's n x n buffer, batches on
 * both sides of the stepwise input drive, both cells, input scaling (a &gt; 0), loss at every step.
 */
class DoublePackedRecurrenceTest {

  /** The vector kernels, except that they claim to keep no packed form. */
  private static DoubleKernels unpacked(DoubleKernels k) {
    return (DoubleKernels) Proxy.newProxyInstance(DoubleKernels.class.getClassLoader(),
        new Class<?>[] {DoubleKernels.class}, (proxy, method, args) -> {
          if (method.getName().equals("packedSize")) {
            return 0;
          }
          try {
            return method.invoke(k, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @ParameterizedTest(name = "{0} {1} a={2} N={3} B={4}")
  @CsvSource({"voltage-leak, relu, 0, 128, 16", "voltage-leak, relu, 0, 128, 64",
      "voltage-leak, tanh, 0.4, 64, 20", "rate-leak, relu, 0.3, 64, 64",
      "voltage-leak, softplus, 0.2, 128, 3"})
  void packedRecurrenceMatchesPerStepPacking(String cell, String f, double a, int n, int b) {
    ModelConfig c = ModelConfig.builder(7, n, 5).cell(Cell.parse(cell))
        .activation(Activation.parse(f)).leak(a).l2(0.01).build();
    int steps = 6;
    DoubleParameters p = DoubleParameters.initialize(c, 3);
    DoubleBatch batch = DoubleBatch.classification(steps, b, 7, 5, true).lossAtEveryStep();
    RandomStream r = new RandomStream(4);
    for (int i = 0; i < batch.x().length; i++) {
      batch.x()[i] = r.nextDouble() * 2 - 1;
    }
    for (int i = 0; i < batch.labels().length; i++) {
      batch.labels()[i] = r.nextInt(5);
    }
    DoubleKernels vector = Kernels.vectorF64();
    DoubleKernels plain = unpacked(vector);
    DoubleBptt packedRule = new DoubleBptt(c, vector);
    DoubleBptt plainRule = new DoubleBptt(c, plain);
    if (b >= DoubleNetwork.TRANSPOSE_MIN_BATCH) { // the packed path is taken at all
      assertTrue(new DoubleNetwork(c, vector).packedRecurrent(new double[n * n], n) != null);
    }
    double[] g0 = p.newGradient();
    double[] g1 = p.newGradient();
    double j0 = plainRule.gradient(p, batch, plainRule.newWorkspace(b, steps), g0);
    DoubleWorkspace ws = packedRule.newWorkspace(b, steps);
    for (int rep = 0; rep < 2; rep++) { // the pack of a pass does not leak into the next
      double j1 = packedRule.gradient(p, batch, ws, g1);
      assertEquals(j0, j1);
      assertArrayEquals(g0, g1);
    }
  }
}
