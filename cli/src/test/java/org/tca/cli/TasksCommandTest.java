package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tca.rules.task.Tasks;

class TasksCommandTest {

  @Test
  void listsEveryTaskWithItsParameters() {
    CliRun r = CliRun.tca("tasks");
    assertEquals(0, r.status(), r.toString());
    for (String t : Tasks.names()) {
      assertTrue(r.out().contains(t + "\n  " + Tasks.summary(t) + "\n"), t);
      for (var p : Tasks.parameters(t)) {
        assertTrue(r.out().contains("--" + p.name()), t + " --" + p.name());
      }
    }
  }

  @Test
  void anUnknownTaskIsAUsageError() {
    CliRun r = CliRun.tca("tasks", "xor");
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("xor"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }
}
