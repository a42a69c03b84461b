package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.ModelConfig;

/** The rule registry: one entry per rule, whose factory makes the rule of that id. */
class FloatRuleRegistryTest {

  @Test
  void everyEntryMakesTheRuleOfItsId() {
    ModelConfig c = ModelConfig.builder(2, 4, 2).build();
    for (FloatRules.Entry e : FloatRules.ALL) {
      FloatLearningRule r = FloatRules.create(e.id(), c, RuleOptions.defaults(), Kernels.f32());
      assertEquals(e.id(), r.id());
      assertFalse(e.description().isBlank(), e.id());
    }
    assertEquals(FloatRules.ids().size(), FloatRules.ids().stream().distinct().count());
    assertEquals(String.join(", ", FloatRules.ids()), FloatRules.NAMES);
  }

  @Test
  void familiesOfTheKnownRules() {
    Map<RuleFamily, List<String>> expected = Map.of(
        RuleFamily.EXACT, List.of("bptt", "tbptt", "rtrl"),
        RuleFamily.UNBIASED_ESTIMATE, List.of("uoro", "kf-rtrl", "r-kf-rtrl"),
        RuleFamily.APPROXIMATE, List.of("eprop", "eprop-random", "rflo", "mdgl",
            "mdgl-celltype", "modprop", "snap-1", "snap-2"));
    expected.forEach((f, ids) -> {
      for (String id : ids) {
        assertEquals(f, FloatRules.family(id), id);
      }
    });
  }

  @Test
  void anUnknownRuleIsNamedWithTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FloatRules.entry("bpt"));
    assertEquals("unknown rule 'bpt' (expected one of " + FloatRules.NAMES + ")", e.getMessage());
  }
}
