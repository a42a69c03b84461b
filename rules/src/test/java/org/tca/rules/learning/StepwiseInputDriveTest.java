package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tca.numerics.kernels.Activation;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleNetwork;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;

/**
 * The forward pass's large-batch path (B &gt;= {@link DoubleNetwork#STEPWISE_INPUT_MIN_BATCH}: the
 * input drive computed step by step) on a tiny network: BPTT's objective equals the reference
 * RNN's to rounding (1e-12 relative: the sums are of ~T (N + N_in) terms, so the forward-error
 * bound is ~1e-14) and its gradient passes the central finite-difference check; with and without
 * b_rec and input scaling (voltage cell, a &gt; 0).
 */
class StepwiseInputDriveTest {

  @ParameterizedTest(name = "{0} {1} a={2} bias={3}")
  @CsvSource({"voltage-leak, relu, 0, true", "voltage-leak, tanh, 0.6, false",
      "voltage-leak, softplus, 0.3, true", "rate-leak, relu, 0.4, true"})
  void largeBatchMatchesReference(String cell, String f, double a, boolean bias) {
    ModelConfig c = ModelConfig.builder(2, 3, 2).cell(Cell.parse(cell))
        .activation(Activation.parse(f)).leak(a).recurrentBias(bias).l2(0.05).build();
    int b = DoubleNetwork.STEPWISE_INPUT_MIN_BATCH;
    Case k = new Case(c, Fixtures.Mask.EVERY, false, 11);
    DoubleParameters p = DoubleParameters.initialize(c, k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, 4, b);
    DoubleBptt rule = new DoubleBptt(c);
    double[] grad = p.newGradient();
    double j = rule.gradient(p, batch, rule.newWorkspace(b, 4), grad);
    ReferenceRnn ref = new ReferenceRnn(c, batch);
    double jRef = ref.objective(p.data().clone());
    assertEquals(jRef, j, 1e-12 * Math.abs(jRef));
    FiniteDifferences.check("BPTT B=" + b + " " + k, p, grad, ref::objective, 4);
  }
}
