package org.tca.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.rules.task.Task;
import org.tca.rules.train.RunStatus;
import org.tca.rules.train.TrainingStateFile;

class StudyRunnerTest {

  /** A tiny delayed-XOR study (N = 6, T = 10, 24 iterations, scalar kernels). */
  static StudySpec tiny() {
    return tiny("48");
  }

  static StudySpec tiny(String nTrain) {
    return new StudySpecBuilder().name("tiny").task("delayed-xor")
        .taskParams(Map.of("cue", "3", "delay", "4", "std", "1", "n-train", nTrain, "n-test", "40",
            "n-validation", "16", "shift-delay", "6", "noise", "0.3"))
        .rules(List.of("bptt", "eprop")).seedCount(2).learningRates(List.of(0.1))
        .iterations(24).hidden(6).tau(5).batch(8).checkpoints(4).heldOut(16)
        .curvatureMaxIterations(20).alignmentBatch(8).kernels("scalar").build();
  }

  /**
   * A tiny spiking study (Poisson evidence accumulation, 10 LIF/ALIF units): every run records
   * firing rates and its alignment with spiking BPTT and no curvature, and an interrupted then
   * resumed study (on another thread count) ends with records equal to an uninterrupted one.
   */
  @Test
  void spikingRunsResumeToTheUninterruptedRecordsWithoutCurvature(@TempDir Path dir)
      throws Exception {
    StudySpec spec = new StudySpecBuilder().name("tiny-spiking").task("evidence-accumulation")
        .taskParams(Map.of("encoding", "poisson", "cues", "3", "cue", "10", "interval", "15",
            "delay", "10", "recall", "10", "loss-steps", "10", "n-train", "32", "n-test", "16"))
        .spiking(StudySpiking.published(org.tca.rules.spiking.SpikingCell.LIF_ALIF))
        .rules(List.of("bptt", "mdgl")).seedCount(2).learningRates(List.of(0.01))
        .optimizer("adam").iterations(6).hidden(10).batch(8).checkpoints(3).alignmentBatch(8)
        .kernels("scalar").build();
    Map<String, Task> task = spec.createTasks();
    List<RunRecord> a = new StudyRunner(spec, task, dir.resolve("a"),
        StudyRunner.RunStore.inMemory(), 1).run(new StudyRunner.Listener() {});
    assertEquals(4, a.size());
    for (RunRecord r : a) {
      assertTrue(r.usable() && r.spiking(), r.id());
      assertTrue(Double.isNaN(r.lambdaMax()) && Double.isNaN(r.seenCurvature()), r.id());
      assertTrue(r.trainFiringRate() > 0 && r.testFiringRate() > 0, r.id());
      assertTrue(Double.isFinite(r.gradCosine()), r.id());
    }
    StudyRunner.RunStore parts = StudyRunner.RunStore.inMemory();
    assertTrue(new StudyRunner(spec, task, dir.resolve("b"), parts, 1).stopAfterCheckpoints(2)
        .run(new StudyRunner.Listener() {}).isEmpty());
    assertEquals(a, new StudyRunner(spec, task, dir.resolve("b"), parts, 2)
        .run(new StudyRunner.Listener() {}));
  }

  @Test
  void interruptedThenResumedRunsEqualUninterruptedOnes(@TempDir Path dir) throws Exception {
    StudySpec spec = tiny();
    Map<String, Task> task = spec.createTasks();
    StudyRunner.RunStore whole = StudyRunner.RunStore.inMemory();
    List<RunRecord> a = new StudyRunner(spec, task, dir.resolve("a"), whole, 2)
        .run(new StudyRunner.Listener() {});
    assertEquals(4, a.size());
    for (RunRecord r : a) {
      assertEquals(RunStatus.OK, r.status());
      assertEquals(4, r.trajectory().size());
      assertTrue(Double.isFinite(r.lambdaMax()) && r.lambdaMax() > 0, r.id());
      assertEquals(2 / 0.1, r.twoOverEta(), 1e-12);
      assertTrue(Double.isFinite(r.seenCurvature()), r.id());
      assertTrue(Double.isFinite(r.shiftedGap()), r.id());
    }
    StudyRunner.RunStore parts = StudyRunner.RunStore.inMemory();
    StudyRunner cut = new StudyRunner(spec, task, dir.resolve("b"), parts, 1)
        .stopAfterCheckpoints(2);
    assertTrue(cut.run(new StudyRunner.Listener() {}).isEmpty());
    for (RunPlan p : spec.plans()) {
      assertTrue(Files.exists(cut.stateFile(p.id())), p.id());
      assertEquals(8, TrainingStateFile.read(cut.stateFile(p.id())).iteration());
    }
    java.util.concurrent.atomic.AtomicLong before = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong stepped = new java.util.concurrent.atomic.AtomicLong();
    List<RunRecord> b = new StudyRunner(spec, task, dir.resolve("b"), parts, 2)
        .run(new StudyRunner.Listener() {
          @Override
          public void started(long total, long done, int runs, int finished) {
            before.set(done);
          }

          @Override
          public void advanced(long n) {
            stepped.addAndGet(n);
          }
        });
    assertEquals(a, b);
    // It continued from the saved checkpoints (iteration 8 of 24), not from the start.
    assertEquals(4 * 8, before.get());
    assertEquals(4 * (24 - 8), stepped.get());
    for (RunPlan p : spec.plans()) {
      assertFalse(Files.exists(cut.stateFile(p.id())), p.id());
    }
  }

  /**
   * Fewer runs than threads: the threads no run drives compute shards of the runs in flight
   * (batch 64: 4 shards per gradient), with the vector kernels; the records equal a
   * single-threaded study's bit for bit.
   */
  @Test
  void idleThreadsWorkInsideRunsWithoutChangingResults(@TempDir Path dir) throws Exception {
    StudySpec spec = tiny("128").toBuilder().seeds(List.of(5L)).batch(64).kernels("vector")
        .build();
    Map<String, Task> task = spec.createTasks();
    List<RunRecord> one = new StudyRunner(spec, task, dir.resolve("one"),
        StudyRunner.RunStore.inMemory(), 1).run(new StudyRunner.Listener() {});
    List<RunRecord> seven = new StudyRunner(spec, task, dir.resolve("seven"),
        StudyRunner.RunStore.inMemory(), 7).run(new StudyRunner.Listener() {});
    assertEquals(2, one.size());
    assertEquals(one, seven);
  }

  @Test
  void finishedRunsAreSkipped(@TempDir Path dir) throws IOException, InterruptedException {
    StudySpec spec = tiny().toBuilder().rules(List.of("bptt")).seeds(List.of(3L)).build();
    Map<String, Task> task = spec.createTasks();
    StudyRunner.RunStore store = StudyRunner.RunStore.inMemory();
    RunRecord fake = new RunRecord("delayed-xor__bptt__lr0.1__s3", "delayed-xor", "bptt", 3, "lr0.1", "x", 0.1, 24, RunStatus.OK, 24,
        -1, "", List.of());
    store.save(fake);
    List<RunRecord> r = new StudyRunner(spec, task, dir, store, 1)
        .run(new StudyRunner.Listener() {});
    assertEquals(List.of(fake), r);
  }

  @Test
  void specValidationNamesTheField() {
    StudySpecBuilder b = tiny().toBuilder();
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> b.rules(List.of("bptt", "nope")).build()).getMessage().contains("unknown rule 'nope'"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> tiny().toBuilder().checkpoints(1).build()).getMessage().contains("checkpoints"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> StudyPresets.create("nope", null)).getMessage().contains("unknown preset"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> StudyPresets.create("paper-smnist", null)).getMessage().contains("--data"));
    for (String p : StudyPresets.NAMES) {
      if (!StudyPresets.needsData(p)) {
        assertFalse(StudyPresets.create(p, null).plans().isEmpty(), p);
      }
    }
  }
}
