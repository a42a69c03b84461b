package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.numerics.kernels.Activation;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.PrecisionConversion;

/**
 * f32 BPTT against f64 BPTT on the same (f32-representable) weights and data.
 *
 * <p>Bound: every quantity is a chain of dot products and sums; along the longest chain there are
 * n = 2 T n_step + T B roundings (T forward and T backward steps with dot products of length
 * n_step = N + N_in + N_out + 2, then the length-T*B sums of the weight-gradient GEMMs). The
 * worst-case bound gamma_n ~ n u is pessimistic by orders of magnitude; we use the probabilistic
 * bound of Higham and Mary (SIAM J. Sci. Comput. 2019), lambda sqrt(n) u with lambda = 4 (it holds
 * with probability > 0.999 per quantity under their model), times 4 for the amplification through
 * the recurrent Jacobians (spectral radius ~1 at this initialisation) and cancellation, relative to
 * ||g||_inf. Observed errors are ~1e-7, about 100x below; a wrong literal, a precision slip or a
 * wrong formula in the f32 path fails it.
 */
class PrecisionAgreementTest {

  static Stream<Arguments> configs() {
    return Stream.of(
        Arguments.of(ModelConfig.builder(3, 5, 2).activation(Activation.TANH).leak(0.5).build(),
            Fixtures.Mask.EVERY, 6, 3),
        Arguments.of(ModelConfig.builder(3, 5, 2).cell(Cell.RATE_LEAK).leak(0.3)
            .loss(LossKind.MSE).dale(true).build(), Fixtures.Mask.PARTIAL, 6, 3),
        Arguments.of(ModelConfig.builder(7, 32, 4).activation(Activation.SOFTPLUS)
            .connectionProbability(0.5).build(), Fixtures.Mask.LAST, 20, 8),
        Arguments.of(ModelConfig.builder(7, 32, 4).build(), Fixtures.Mask.EVERY, 20, 16));
  }

  @ParameterizedTest
  @MethodSource("configs")
  void f32BpttIsWithinItsErrorBoundOfF64(ModelConfig c, Fixtures.Mask mask, int steps, int size) {
    FloatParameters p32 = FloatParameters.initialize(c, 11);
    DoubleParameters p64 = PrecisionConversion.widen(p32);
    FloatBatch b32 = Fixtures.floatBatch(c, mask, false, steps, size, 12);
    FloatBptt r32 = new FloatBptt(c);
    DoubleBptt r64 = new DoubleBptt(c);
    float[] g32 = p32.newGradient();
    double[] g64 = p64.newGradient();
    double j32 = r32.gradient(p32, b32, r32.newWorkspace(size, steps), g32);
    double j64 = r64.gradient(p64, PrecisionConversion.widen(b32), r64.newWorkspace(size, steps), g64);
    double u = Math.ulp(1.0f) / 2;
    int nMax = c.hidden() + c.inputs() + c.outputs() + 2;
    double rel = 16 * Math.sqrt(2.0 * steps * nMax + steps * size) * u;
    double scale = ExactRulesAgreementTest.maxAbs(g64);
    double maxErr = 0;
    for (int i = 0; i < g64.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(g32[i] - g64[i]));
    }
    assertTrue(maxErr <= rel * scale, "f32 vs f64 gradient error " + maxErr + " > bound "
        + rel * scale);
    assertTrue(maxErr > 0, "f32 and f64 paths should not be identical");
    assertTrue(Math.abs(j32 - j64) <= rel * Math.abs(j64), "objective " + j32 + " vs " + j64);
  }
}
