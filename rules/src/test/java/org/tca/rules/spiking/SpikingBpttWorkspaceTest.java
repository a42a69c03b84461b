package org.tca.rules.spiking;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * Spiking BPTT gathers its carried recurrent term from the padded copy of W_rec that only its own
 * {@code newWorkspace} makes: a workspace made otherwise is refused with a clear message rather
 * than failing inside the sweep.
 */
class SpikingBpttWorkspaceTest {

  @Test
  void bpttRefusesAWorkspaceWithoutItsPaddedCopy() {
    ModelConfig base = ModelConfig.builder(3, 10, 2).recurrentBias(false).build();
    SpikingConfig c = SpikingConfig.published(base);
    FloatSpikingGradient rule = FloatSpikingGradient.bptt(c, Kernels.f32());
    FloatParameters p = FloatParameters.initialize(base, 1);
    FloatBatch batch = FloatBatch.classification(4, 2, 3, 2, false);
    float[] grad = p.newGradient();
    rule.gradient(p, batch, rule.newWorkspace(2, 4), grad);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> rule.gradient(p, batch, new FloatSpikingWorkspace(c, 2, 4), grad));
    assertTrue(e.getMessage().contains("newWorkspace"), e.getMessage());
  }
}
