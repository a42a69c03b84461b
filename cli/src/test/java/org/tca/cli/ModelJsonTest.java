package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tca.numerics.kernels.Activation;
import org.tca.rules.model.Cell;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;

class ModelJsonTest {

  private static ModelConfig roundTrip(ModelConfig m) throws Exception {
    String text = JsonFiles.string(ModelJson.fields(m));
    return new ModelJson(Path.of("model.json"), new ObjectMapper().readTree(text)).config();
  }

  @Test
  void everyComponentIsWrittenAndReadBack() throws Exception {
    ModelConfig defaults = ModelConfig.builder(3, 5, 2).build();
    ModelConfig other = ModelConfig.builder(4, 6, 3).cell(Cell.RATE_LEAK)
        .activation(Activation.TANH).leak(0.3).recurrentBias(false).loss(LossKind.MSE).l2(0.05)
        .noAutapse(false).dale(true).excitatoryFraction(0.7).connectionProbability(0.5).build();
    assertEquals(defaults, roundTrip(defaults));
    assertEquals(other, roundTrip(other));
    assertEquals(ModelConfig.class.getRecordComponents().length,
        ModelJson.fields(other).size());
  }
}
