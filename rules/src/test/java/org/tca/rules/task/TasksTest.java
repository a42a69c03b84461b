package org.tca.rules.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.rules.task.TaskTestSupport.params;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalogue and the parameter map. */
class TasksTest {

  @Test
  void catalogueListsEveryTaskWithItsParameters() {
    assertEquals(List.of("smnist", "delayed-xor", "pattern-generation", "evidence-accumulation",
        "perceptual-decision-making", "delay-match-sample", "context-decision-making",
        "parametric-working-memory", "go-no-go", "flip-flop", "ready-set-go"), Tasks.names());
    for (String name : Tasks.names()) {
      assertFalse(Tasks.summary(name).isBlank(), name);
      List<ParameterSpec> specs = Tasks.parameters(name);
      assertFalse(specs.isEmpty());
      for (ParameterSpec s : specs) {
        assertTrue(s.name().matches("[a-z]+(-[a-z]+)*"), s.name());
        assertFalse(s.description().isBlank(), name + " " + s.name());
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Tasks.parameters("mnist"));
  }

  @Test
  void everyEntryHoldsItsTrainingDefaults() {
    for (Tasks.Entry e : Tasks.ALL) {
      TaskDefaults d = e.defaults();
      assertTrue(d.hidden() > 0 && d.batch() > 0 && d.learningRate() > 0 && d.iterations() > 0
          && !(d.tau() <= 0), e.name() + " " + d);
      assertEquals(d, Tasks.defaults(e.name()));
    }
    // the paper's sMNIST settings: N = 128, B = 256, SGD at 1e-2, a = 0, 10,000 iterations
    assertEquals(new TaskDefaults(128, 256, "sgd", 1e-2, Double.NaN, 10_000),
        Tasks.defaults("smnist"));
    assertEquals(new TaskDefaults(120, 32, "adam", 5e-4, 100, 2_000),
        Tasks.defaults("delayed-xor"));
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> Tasks.defaults("mnist"));
    assertTrue(unknown.getMessage().startsWith("unknown task 'mnist'; known tasks: smnist,"),
        unknown.getMessage());
  }

  @Test
  void resolvedParametersRecordDefaultsAndOverrides() {
    Task t = TaskTestSupport.create("delayed-xor", "n-train", "5", "n-test", "3", "delay", "10");
    Map<String, String> p = t.parameters();
    assertEquals("10", p.get("delay"));
    assertEquals("100", p.get("cue"));
    assertEquals("0", p.get("seed"));
    assertEquals(Tasks.parameters("delayed-xor").size(), p.size());
    assertEquals("none", t.shiftDescription());
    assertTrue(t.description().contains("delayed XOR"));
    assertTrue(t.toString().contains("T=210"), t.toString());
  }

  @Test
  void parameterMapParsesAndNamesProblems() {
    List<ParameterSpec> specs = List.of(new ParameterSpec("a", "3", "int"),
        new ParameterSpec("b", "none", "optional"), new ParameterSpec("c", "all", "count"),
        new ParameterSpec("d", "1, 2.5,4", "list"), new ParameterSpec("seed", "-7", "seed"));
    TaskParameters p = TaskParameters.parse("demo", specs, params("a", " 5 "));
    assertEquals(5, p.integer("a", 0, 10));
    assertTrue(p.isNone("b"));
    assertTrue(p.optionalReal("b", 0, 1).isEmpty());
    assertEquals(40, p.countOrAll("c", 1, 40));
    assertArrayEquals(new double[] {1, 2.5, 4}, p.reals("d", 0, 10));
    assertEquals(-7L, p.longInteger("seed"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> p.integer("a", 0, 4));
    assertEquals("task demo: parameter 'a' must be an integer in [0, 4], got '5'",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TaskParameters.parse("demo", specs, params("z", "1")));
    assertEquals("task demo has no parameter 'z'; its parameters are: a, b, c, d, seed",
        e.getMessage());
    TaskParameters q = TaskParameters.parse("demo", specs, params("b", "0.5", "c", "41",
        "d", "1,,2"));
    assertEquals(0.5, q.optionalReal("b", 0, 1).getAsDouble());
    e = assertThrows(IllegalArgumentException.class, () -> q.countOrAll("c", 1, 40));
    assertTrue(e.getMessage().contains("'c'") && e.getMessage().contains("40"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> q.reals("d", 0, 10));
    assertTrue(e.getMessage().contains("'d'"), e.getMessage());
    TaskParameters r = TaskParameters.parse("demo", specs, params("b", "NaN"));
    assertThrows(IllegalArgumentException.class, () -> r.optionalReal("b", 0, 1));
  }
}
