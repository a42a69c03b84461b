package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tca.numerics.kernels.Activation;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.ParameterLayout;

/**
 * RTRL on a network whose influence matrix is wider than one column block of the step
 * ({@link FloatRtrl#CHUNK}): N = 24, N_in = 5 gives P = 720, so block edges cut through a row of
 * W_rec and the immediate term and readout are split across blocks; with ReLU the row order of M
 * changes from step to step. Offline and online RTRL must equal BPTT to rounding (tolerance as in
 * {@link ExactRulesAgreementTest}).
 */
class RtrlColumnBlocksTest {

  @ParameterizedTest(name = "{0} {1} a={2}")
  @CsvSource({"voltage-leak, relu, 0", "voltage-leak, relu, 0.4", "voltage-leak, tanh, 0.2",
      "rate-leak, relu, 0.5", "rate-leak, relu, 1", "rate-leak, softplus, 1"})
  void wideInfluenceMatrixEqualsBptt(String cell, String f, double a) {
    ModelConfig c = ModelConfig.builder(5, 24, 3).cell(Cell.parse(cell))
        .activation(Activation.parse(f)).leak(a).l2(0.01).build();
    assertTrue(new ParameterLayout(c).recurrentSize() > DoubleRtrl.CHUNK);
    Case k = new Case(c, Fixtures.Mask.EVERY, false, 7);
    DoubleParameters p = DoubleParameters.initialize(c, k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, 8, 2);
    double[] bptt = ExactRulesAgreementTest.gradient(new DoubleBptt(c), p, batch);
    DoubleRtrl rtrl = new DoubleRtrl(c);
    ExactRulesAgreementTest.assertClose("RTRL", bptt, ExactRulesAgreementTest.gradient(rtrl, p,
        batch));
    DoubleBatch one = Fixtures.doubleBatch(k, 8, 1);
    double[] single = ExactRulesAgreementTest.gradient(new DoubleBptt(c), p, one);
    DoubleWorkspace ws = rtrl.newWorkspace(1, 8);
    double[] sum = p.newGradient();
    double[] step = p.newGradient();
    rtrl.beginOnline(p, ws);
    for (int t = 0; t < 8; t++) {
      rtrl.stepOnline(p, one, t, ws, step);
      for (int i = 0; i < sum.length; i++) {
        sum[i] += step[i];
      }
    }
    ExactRulesAgreementTest.assertClose("online RTRL", single, sum);
  }
}
