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
import org.tca.rules.optim.FloatAdam;
import org.tca.rules.optim.FloatMomentum;
import org.tca.rules.optim.FloatOptimizer;
import org.tca.rules.optim.FloatSgd;
import org.tca.rules.optim.TrainableRanges;

class TrainingStateFileTest {

  @Test
  void roundTripIsExact(@TempDir Path dir) throws IOException {
    FloatAdam adam = new FloatAdam(5, TrainableRanges.of(0, 3));
    adam.step(new float[5], new float[] {1, -2, 3, 4, 5}, 1, 0.1);
    Map<String, Double> probes = new LinkedHashMap<>();
    probes.put("lambda_max", 12.5);
    probes.put("cos", Double.NaN);
    TrainingState s = new TrainingState("fp;é", 17, 17,
        new float[] {1.5f, -0f, Float.MIN_VALUE, Float.NaN, 3}, OptimizerState.capture(adam),
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
        OptimizerState.capture(new FloatSgd(2, TrainableRanges.all(2))), 0, 0, 0,
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
        OptimizerState.capture(new FloatSgd(2, TrainableRanges.all(2))), 0, 0, 0,
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
      OptimizerState.capture(a[k]).restoreInto(b[k]);
      assertEquals(a[k].steps(), b[k].steps());
      for (int i = 0; i < 3; i++) {
        a[k].step(pa, g, 0.5, 0.1);
        b[k].step(pb, g, 0.5, 0.1);
      }
      assertArrayEquals(pa, pb, a[k].toString());
    }
    assertThrows(IllegalArgumentException.class,
        () -> OptimizerState.capture(a[0]).restoreInto(b[2]));
    assertThrows(IllegalArgumentException.class, () -> OptimizerState.capture(
        new FloatAdam(3, TrainableRanges.all(3))).restoreInto(b[2]));
  }
}
