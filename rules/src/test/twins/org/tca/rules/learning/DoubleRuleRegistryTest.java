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
class DoubleRuleRegistryTest {

  @Test
  void everyEntryMakesTheRuleOfItsId() {
    ModelConfig c = ModelConfig.builder(2, 4, 2).build();
    for (DoubleRules.Entry e : DoubleRules.ALL) {
      DoubleLearningRule r = DoubleRules.create(e.id(), c, RuleOptions.defaults(), Kernels.f64());
      assertEquals(e.id(), r.id());
      assertFalse(e.description().isBlank(), e.id());
    }
    assertEquals(DoubleRules.ids().size(), DoubleRules.ids().stream().distinct().count());
    assertEquals(String.join(", ", DoubleRules.ids()), DoubleRules.NAMES);
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
        assertEquals(f, DoubleRules.family(id), id);
      }
    });
  }

  @Test
  void anUnknownRuleIsNamedWithTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DoubleRules.entry("bpt"));
    assertEquals("unknown rule 'bpt' (expected one of " + DoubleRules.NAMES + ")", e.getMessage());
  }
}
