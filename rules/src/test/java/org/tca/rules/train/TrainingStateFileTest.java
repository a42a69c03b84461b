package org.tca.rules.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.optim.FloatAdam;
import org.tca.rules.optim.FloatMomentum;
import org.tca.rules.optim.FloatOptimizer;
import org.tca.rules.optim.FloatOptimizerState;
import org.tca.rules.optim.FloatSgd;
import org.tca.rules.optim.TrainableRanges;
import org.tca.rules.task.MinibatchSampler;

class TrainingStateFileTest {

  @Test
  void roundTripIsExact(@TempDir Path dir) throws IOException {
    FloatAdam adam = new FloatAdam(5, TrainableRanges.of(0, 3));
    adam.step(new float[5], new float[] {1, -2, 3, 4, 5}, 1, 0.1);
    Map<String, Double> probes = new LinkedHashMap<>();
    probes.put("lambda_max", 12.5);
    probes.put("cos", Double.NaN);
    MinibatchSampler sampler = new MinibatchSampler(7, 3, new RandomStream(4));
    for (int i = 0; i < 5; i++) {
      sampler.next();
    }
    TrainingState s = new TrainingState("fp;é", 17, 17,
        new float[] {1.5f, -0f, Float.MIN_VALUE, Float.NaN, 3}, adam.state(), sampler.state(),
        0.25, 3, Double.NaN, RunStatus.INCOMPLETE, -1, "",
        List.of(new TrajectoryPoint(0, 0.1, 1, 0.5, 2, Double.NaN, Double.NaN, Double.NaN, 0.01,
            Double.NaN, Double.NaN, Map.of()),
            new TrajectoryPoint(10, 0.1, 0.5, 0.75, 1, 0.5, 3, 0.25, 0.02, 0.7, 4.5, probes)));
    Path f = dir.resolve("run.state");
    TrainingStateFile.write(f, s);
    TrainingState r = TrainingStateFile.read(f);
    assertEquals(s.fingerprint(), r.fingerprint());
    assertEquals(s.iteration(), r.iteration());
    assertArrayEquals(s.parameters(), r.parameters());
    assertEquals(s.optimizer(), r.optimizer());
    assertEquals(s.sampler(), r.sampler());
    assertEquals(s.trajectory(), r.trajectory());
    assertEquals(s.intervalLossSum(), r.intervalLossSum());
    assertEquals(s.intervalCount(), r.intervalCount());
    assertEquals(s.status(), r.status());
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left");
    }
  }

  @Test
  void aWriteDeletesTheTemporariesOfKilledProcesses(@TempDir Path dir) throws IOException {
    TrainingState s = new TrainingState("x", 1, 1, new float[] {1, 2},
        new FloatSgd(2, TrainableRanges.all(2)).state(), SAMPLER, 0, 0, 0,
        RunStatus.OK, -1, "", List.of());
    long self = ProcessHandle.current().pid();
    long live = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(self);
    // No process has this pid (beyond Linux's 2^22 and macOS's 99999 limits).
    long dead = Integer.MAX_VALUE;
    List<String> kept = List.of(".run.state." + self + ".9.tmp", ".run.state." + live + ".9.tmp",
        ".other.state." + dead + ".9.tmp", ".run.state.x.9.tmp", "run.state." + dead + ".9.tmp");
    List<String> stale = List.of(".run.state." + dead + ".9.tmp", ".run.state." + dead + ".1.tmp");
    for (String n : kept) {
      Files.writeString(dir.resolve(n), "partial");
    }
    for (String n : stale) {
      Files.writeString(dir.resolve(n), "partial");
    }
    Path f = dir.resolve("run.state");
    TrainingStateFile.write(f, s);
    assertEquals(s.iteration(), TrainingStateFile.read(f).iteration());
    for (String n : kept) {
      assertTrue(Files.exists(dir.resolve(n)), n);
    }
    for (String n : stale) {
      assertTrue(Files.notExists(dir.resolve(n)), n);
    }
  }

  @Test
  void corruptionIsDetected(@TempDir Path dir) throws IOException {
    TrainingState s = new TrainingState("x", 1, 1, new float[] {1, 2},
        new FloatSgd(2, TrainableRanges.all(2)).state(), SAMPLER, 0, 0, 0,
        RunStatus.OK, -1, "", List.of());
    Path f = dir.resolve("s");
    TrainingStateFile.write(f, s);
    byte[] b = Files.readAllBytes(f);
    b[30] ^= 1;
    Files.write(f, b);
    IOException e = assertThrows(IOException.class, () -> TrainingStateFile.read(f));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    Files.write(f, new byte[] {1, 2, 3});
    assertThrows(IOException.class, () -> TrainingStateFile.read(f));
  }

  /** A fresh sampler's position. */
  private static final MinibatchSampler.State SAMPLER =
      new MinibatchSampler(4, 2, new RandomStream(0)).state();

  @Test
  void aVersion1StateIsRefusedWithAClearMessage(@TempDir Path dir) throws IOException {
    TrainingState s = new TrainingState("x", 1, 1, new float[] {1, 2},
        new FloatSgd(2, TrainableRanges.all(2)).state(), SAMPLER, 0, 0, 0,
        RunStatus.OK, -1, "", List.of());
    Path f = dir.resolve("old.state");
    TrainingStateFile.write(f, s);
    byte[] b = Files.readAllBytes(f);
    b[11] = 1; // version 2 -> 1, checksum recomputed
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(b, 0, b.length - 8);
    java.nio.ByteBuffer.wrap(b, b.length - 8, 8).putLong(crc.getValue());
    Files.write(f, b);
    IOException e = assertThrows(IOException.class, () -> TrainingStateFile.read(f));
    assertTrue(e.getMessage().contains("old.state") && e.getMessage().contains("version 1")
        && e.getMessage().contains("delete it"), e.getMessage());
  }

  /**
   * The state is plain data with the documented names and values, independent of the
   * optimizers' fields: after one step from zero with direction g (scale 1), momentum's velocity
   * is g and Adam's m = (1 - beta1) g, v = (1 - beta2) g^2 (computed here in f32); a copy, not
   * a view; restoring it into a fresh optimizer continues bit for bit.
   */
  @Test
  void optimizerStateIsExplicitPlainData() {
    TrainableRanges r = TrainableRanges.all(3);
    float[] g = {1, -2, 0.5f};
    FloatOptimizer sgd = new FloatSgd(3, r);
    FloatOptimizer momentum = new FloatMomentum(3, r, 0.9, false);
    FloatAdam adam = new FloatAdam(3, r);
    for (FloatOptimizer o : List.of(sgd, momentum, adam)) {
      o.step(new float[3], g, 1, 0.1);
    }
    assertEquals(new FloatOptimizerState("sgd", Map.of(), Map.of("steps", 1L)), sgd.state());
    assertEquals(new FloatOptimizerState("momentum", Map.of("velocity", g),
        Map.of("steps", 1L)), momentum.state());
    float[] m = new float[3];
    float[] v = new float[3];
    for (int i = 0; i < 3; i++) {
      m[i] = (float) (1 - adam.beta1()) * g[i];
      v[i] = (float) (1 - adam.beta2()) * (g[i] * g[i]);
    }
    FloatOptimizerState saved = adam.state();
    assertEquals(List.of("m", "v"), List.copyOf(saved.arrays().keySet()));
    assertArrayEquals(m, saved.arrays().get("m"));
    assertArrayEquals(v, saved.arrays().get("v"));
    assertEquals(Map.of("steps", 1L), saved.counters());
    adam.step(new float[3], g, 1, 0.1);
    assertArrayEquals(m, saved.arrays().get("m"), "the state is a copy");
    assertEquals(new FloatOptimizerState("nesterov", Map.of("velocity", new float[3]),
        Map.of("steps", 0L)), new FloatMomentum(3, r, 0.5, true).state());
  }

  @Test
  void optimizerStateRestoresTheNextStepsExactly() {
    TrainableRanges r = TrainableRanges.of(0, 4, 6, 2);
    FloatOptimizer[] a = {new FloatSgd(8, r), new FloatMomentum(8, r, 0.9, true),
        new FloatAdam(8, r)};
    FloatOptimizer[] b = {new FloatSgd(8, r), new FloatMomentum(8, r, 0.9, true),
        new FloatAdam(8, r)};
    for (int k = 0; k < a.length; k++) {
      float[] pa = new float[8];
      float[] g = {1, -2, 0.5f, 3, 9, 9, -1, 0.25f};
      for (int i = 0; i < 3; i++) {
        a[k].step(pa, g, 1, 0.1);
      }
      float[] pb = pa.clone();
      b[k].restore(a[k].state());
      assertEquals(a[k].steps(), b[k].steps());
      for (int i = 0; i < 3; i++) {
        a[k].step(pa, g, 0.5, 0.1);
        b[k].step(pb, g, 0.5, 0.1);
      }
      assertArrayEquals(pa, pb, a[k].toString());
    }
    FloatOptimizerState before = b[2].state();
    assertThrows(IllegalArgumentException.class, () -> b[2].restore(a[0].state()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> b[2].restore(new FloatAdam(3, TrainableRanges.all(3)).state()));
    assertTrue(e.getMessage().contains("3 values of m"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b[1].restore(
        new FloatMomentum(8, r, 0.9, false).state()), "momentum is not nesterov");
    assertEquals(before, b[2].state(), "a refused restore changes nothing");
  }
}
