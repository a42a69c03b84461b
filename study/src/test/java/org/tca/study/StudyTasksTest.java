package org.tca.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.numerics.stats.Correlation;
import org.tca.numerics.stats.Descriptive;
import org.tca.rules.task.Task;
import org.tca.rules.train.RunStatus;

/** The tasks axis of a study grid: plans, independence of tasks, per-task statistics. */
class StudyTasksTest {

  static final StudyTask XOR = StudyRunnerTest.tiny().tasks().get(0);
  /** The same task on half the training set, under its own id. */
  static final StudyTask XOR_SMALL = new StudyTask("xor-24", "delayed-xor",
      XOR.withParams(Map.of("n-train", "24")).params());
  /** A second kind of task, with a different input size. */
  static final StudyTask EVIDENCE = StudyTask.of("evidence-accumulation", Map.of("cues", "3",
      "cue", "2", "interval", "3", "delay", "3", "recall", "2", "n-train", "48", "n-test", "40",
      "n-validation", "16"));

  static StudySpec twoTasks() {
    return StudyRunnerTest.tiny().toBuilder().tasks(List.of(XOR, EVIDENCE)).build();
  }

  @Test
  void planGoesTaskThenSettingThenRuleThenSeed() {
    List<String> ids = twoTasks().plans().stream().map(RunPlan::id).toList();
    assertEquals(List.of("delayed-xor__bptt__lr0.1__s0", "delayed-xor__bptt__lr0.1__s1",
        "delayed-xor__eprop__lr0.1__s0", "delayed-xor__eprop__lr0.1__s1",
        "evidence-accumulation__bptt__lr0.1__s0", "evidence-accumulation__bptt__lr0.1__s1",
        "evidence-accumulation__eprop__lr0.1__s0", "evidence-accumulation__eprop__lr0.1__s1"),
        ids);
  }

  @Test
  void aTaskRunsTheSameAloneAndBesideOthers(@TempDir Path dir) throws Exception {
    StudySpec both = twoTasks();
    Map<String, Task> tasks = both.createTasks();
    assertTrue(tasks.get("delayed-xor").inputSize() != tasks.get("evidence-accumulation")
        .inputSize(), "the two tasks should differ in input size");
    List<RunRecord> all = new StudyRunner(both, tasks, dir.resolve("a"),
        StudyRunner.RunStore.inMemory(), 2).run(new StudyRunner.Listener() {});
    assertEquals(8, all.size());
    StudySpec alone = StudyRunnerTest.tiny().toBuilder().tasks(List.of(EVIDENCE)).build();
    List<RunRecord> one = new StudyRunner(alone, alone.createTasks(), dir.resolve("b"),
        StudyRunner.RunStore.inMemory(), 1).run(new StudyRunner.Listener() {});
    assertEquals(all.subList(4, 8), one);
    for (RunRecord r : all) {
      assertTrue(r.id().startsWith(r.task() + "__"), r.id());
      assertEquals(RunStatus.OK, r.status(), r.id());
    }

    StudySummary sum = StudySummary.of(all);
    List<TaskSummary> perTask = sum.tasks();
    assertEquals(2, perTask.size());
    assertEquals(4, sum.groups().size());
    // The top-level correlation pools the within-task standardised values.
    List<Double> g = new ArrayList<>();
    List<Double> l = new ArrayList<>();
    for (List<RunRecord> rs : List.of(all.subList(0, 4), all.subList(4, 8))) {
      double[] gg = rs.stream().mapToDouble(RunRecord::gap).toArray();
      double[] ll = rs.stream().mapToDouble(RunRecord::lambdaMax).toArray();
      for (int i = 0; i < 4; i++) {
        g.add((gg[i] - Descriptive.mean(gg)) / Descriptive.standardDeviation(gg));
        l.add((ll[i] - Descriptive.mean(ll)) / Descriptive.standardDeviation(ll));
      }
    }
    double r = Correlation.pearson(l.stream().mapToDouble(x -> x).toArray(),
        g.stream().mapToDouble(x -> x).toArray()).r();
    GapCorrelation c = sum.correlation();
    assertEquals(8, c.n());
    assertEquals(r, c.pearsonR(), 1e-12);
    assertTrue(c.pooledWithinTasks());
    // Each task's claims are that task's alone.
    TaskSummary second = perTask.get(1);
    assertEquals("evidence-accumulation", second.task());
    assertEquals(StudyClaims.evaluate(one), second.claims());
  }

  @Test
  void oneTaskTwiceUnderTwoIdsIsAllowedButNotTheSameIdTwice() {
    StudySpec s = StudyRunnerTest.tiny().toBuilder().tasks(List.of(XOR, XOR_SMALL)).build();
    assertEquals(8, s.plans().size());
    assertEquals("xor-24 (delayed-xor)", s.task("xor-24").label());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StudyRunnerTest.tiny().toBuilder().tasks(List.of(XOR, XOR)).build());
    assertTrue(e.getMessage().contains("same id"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> s.toBuilder().taskParams(Map.of("n-train", "10")));
    assertTrue(e.getMessage().contains("one task"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new StudyTask("a b", "delayed-xor", Map.of()));
    assertTrue(e.getMessage().contains("'a b'"), e.getMessage());
  }

  @Test
  void aBadTaskIsNamedByItsId() {
    StudySpec s = StudyRunnerTest.tiny().toBuilder().tasks(List.of(XOR,
        new StudyTask("bad", "delayed-xor", Map.of("n-train", "4")))).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::createTasks);
    assertTrue(e.getMessage().startsWith("task bad: batch 8 exceeds the training set of 4"),
        e.getMessage());
  }

  @Test
  void combinedVerdictsAgreeOrSayMixed() {
    Map<String, List<Claim>> per = new LinkedHashMap<>();
    per.put("a", List.of(claim("1", Verdict.SUPPORTED), claim("2", Verdict.NOT_TESTABLE)));
    per.put("b", List.of(claim("1", Verdict.SUPPORTED), claim("2", Verdict.NOT_TESTABLE)));
    per.put("c", List.of(claim("1", Verdict.NOT_SUPPORTED), claim("2", Verdict.NOT_TESTABLE)));
    List<Claim> c = StudyClaims.combine(per);
    assertEquals(new ClaimVerdict.Mixed(2, 3), c.get(0).verdict());
    assertEquals("mixed (supported in 2 of 3 tasks)", c.get(0).verdict().text());
    assertEquals(Verdict.NOT_TESTABLE, c.get(1).verdict());
    per.remove("c");
    assertEquals(Verdict.SUPPORTED, StudyClaims.combine(per).get(0).verdict());
    assertTrue(StudyClaims.combine(per).get(0).text().contains("Task b: supported. text of 1"));
  }

  private static Claim claim(String title, Verdict verdict) {
    return new Claim(title, verdict, "text of " + title);
  }
}
