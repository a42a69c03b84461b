package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.numerics.io.Npy;
import org.tca.numerics.io.NpyArray;
import org.tca.numerics.io.NpyDtype;
import org.tca.rules.model.ModelConfig;

class TrainCommandTest {

  /**
   * A tiny delayed XOR run: T = 2 * 4 + 4 = 12, 64 training trials. {@code extra} options replace
   * the defaults of the same name (a flag is an option followed by another option or nothing).
   */
  static String[] tinyTrain(Path out, String... extra) {
    return args(new String[] {"train", "--task", "delayed-xor", "--rule", "bptt", "--cue", "4",
        "--delay", "4", "--param", "std=1", "--n-train", "64", "--n-test=32", "--shift-delay",
        "6", "--hidden", "8", "--batch", "16", "--iters", "20", "--checkpoints", "3",
        "--threads", "2", "--lr", "0.01", "--out", out.toString()}, extra);
  }

  /** {@code base} (a command, then option/value pairs) with the options of {@code extra}. */
  static String[] args(String[] base, String... extra) {
    java.util.LinkedHashMap<String, String> opts = new java.util.LinkedHashMap<>();
    for (String[] list : new String[][] {base, extra}) {
      for (int i = list == base ? 1 : 0; i < list.length; i++) {
        boolean hasValue = i + 1 < list.length && !list[i + 1].startsWith("--");
        opts.put(list[i], hasValue ? list[++i] : null);
      }
    }
    List<String> a = new ArrayList<>(List.of(base[0]));
    opts.forEach((k, v) -> {
      a.add(k);
      if (v != null) {
        a.add(v);
      }
    });
    return a.toArray(new String[0]);
  }

  /** A usage error: exactly one line, "tca: ...". */
  static void assertUsageError(CliRun r, String what) {
    assertEquals(2, r.status(), what + ": " + r);
    List<String> lines = r.err().strip().lines().toList();
    assertEquals(1, lines.size(), what + ": " + r);
    assertTrue(lines.get(0).startsWith("tca: "), what + ": " + r);
  }

  /** With stderr captured (not a terminal), train says what it does and a line per 10 %. */
  @Test
  void printsProgressLinesWhenStderrIsNotATerminal(@TempDir Path tmp) {
    CliRun r = CliRun.tca(tinyTrain(tmp.resolve("run")));
    assertEquals(0, r.status(), r.toString());
    List<String> lines = r.err().lines().toList();
    assertEquals("tca train: 20 iterations; a line per 10% done follows", lines.get(0), r.err());
    for (int k = 1; k <= 10; k++) {
      String prefix = "tca train: [" + k * 10 + "%] " + 2 * k + "/20 iterations, loss ";
      assertTrue(lines.get(k).startsWith(prefix) && lines.get(k).contains(", ETA "),
          prefix + " in\n" + r.err());
    }
    assertEquals(11, lines.size(), r.err());
    CliRun quiet = CliRun.tca(tinyTrain(tmp.resolve("quiet"), "-q"));
    assertEquals(0, quiet.status(), quiet.toString());
    assertEquals("", quiet.err(), "--quiet prints no progress");
  }

  @Test
  void trainsAndWritesParamsModelAndMetrics(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("run");
    CliRun r = CliRun.tca(tinyTrain(out));
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("status    ok after 20 iterations"), r.out());
    assertTrue(r.out().contains("train     loss") && r.out().contains("shifted   loss"), r.out());
    assertShape(out.resolve("params/W_in.npy"), NpyDtype.FLOAT32, 8, 2);
    assertShape(out.resolve("params/W_rec.npy"), NpyDtype.FLOAT32, 8, 8);
    assertShape(out.resolve("params/b_rec.npy"), NpyDtype.FLOAT32, 8);
    assertShape(out.resolve("params/W_out.npy"), NpyDtype.FLOAT32, 2, 8);
    assertShape(out.resolve("params/b_out.npy"), NpyDtype.FLOAT32, 2);
    assertShape(out.resolve("masks/W_rec_mask.npy"), NpyDtype.UINT8, 8, 8);
    float[] wrec = Npy.read(out.resolve("params/W_rec.npy")).floats();
    for (int i = 0; i < 8; i++) {
      assertEquals(0f, wrec[i * 9], "no autapses");
    }
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals("ok", m.get("status").asText());
    assertEquals(20, m.get("iterations").asInt());
    assertTrue(m.get("diverged_at").isNull());
    assertEquals("4", m.get("task_parameters").get("cue").asText());
    JsonNode traj = m.get("trajectory");
    assertEquals(3, traj.size());
    int[] its = {0, 10, 20};
    for (int k = 0; k < 3; k++) {
      assertEquals(its[k], traj.get(k).get("iteration").asInt());
      assertTrue(traj.get(k).get("train_loss").asDouble() > 0);
      assertTrue(traj.get(k).get("shifted_loss").isNumber());
    }
    JsonNode fin = m.get("final");
    assertEquals(fin.get("test_loss").asDouble() - fin.get("train_loss").asDouble(),
        fin.get("gap").asDouble(), 1e-12);
    JsonNode model = new ObjectMapper().readTree(out.resolve("model.json").toFile());
    assertEquals("bptt", model.get("rule").asText());
    assertEquals(Math.exp(-0.01), model.get("a").asDouble(), 0.0);
    assertNoStaging(tmp);
  }

  @Test
  void paramsReadBackThroughGradientDirectoryAndFeedTcaGradient(@TempDir Path tmp)
      throws IOException {
    Path run = tmp.resolve("run");
    assertEquals(0, CliRun.tca(tinyTrain(run, "--dale", "--connection-probability", "0.6"))
        .status());
    GradientDirectory.Contents c = GradientDirectory.read(run);
    assertTrue(c.config().dale() && c.structure().hasMask());
    assertArrayEquals(Npy.read(run.resolve("params/W_rec.npy")).floats(),
        java.util.Arrays.copyOfRange(c.floatParameters().data(), 16, 80));
    Path g = tmp.resolve("grad");
    CliRun r = CliRun.tca("gradient", "--task", "delayed-xor", "--rule", "bptt", "--cue", "4",
        "--delay", "4", "--n-train", "64", "--batch", "5", "--params", run.toString(), "--out",
        g.toString());
    assertEquals(0, r.status(), r.toString());
    assertArrayEquals(Npy.read(run.resolve("params/W_rec.npy")).floats(),
        Npy.read(g.resolve("params/W_rec.npy")).floats());
    assertShape(g.resolve("masks/dale_sign.npy"), NpyDtype.INT8, 8);
  }

  @Test
  void onlineTrainingRuns(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("online");
    CliRun r = CliRun.tca(tinyTrain(out, "--online", "--rule", "rtrl", "--iters", "4"));
    assertEquals(0, r.status(), r.toString());
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertTrue(m.get("training").get("online").asBoolean());
    assertEquals(1, m.get("training").get("batch").asInt());
  }

  @Test
  void badInputIsOneLineExitTwoAndWritesNothing(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("never");
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    String[][] cases = {
        {"--task", "frobnicate"},
        {"--rule", "nope"},
        {"--bogus", "1"},
        {"--hidden", "0"},
        {"--lr", "-1"},
        {"--optimizer", "rmsprop"},
        {"--cue", "-3"},
        {"--batch", "1000"},
        {"--rule", "tbptt"},
        {"--rule", "bptt", "--online"},
        {"--tau", "5", "--leak", "0.5"},
        {"--activation", "gelu"},
        {"--lr-boost", "2"},
        {"--data", tmp.toString()},
    };
    for (String[] extra : cases) {
      CliRun r = CliRun.tca(tinyTrain(out, extra));
      assertUsageError(r, String.join(" ", extra));
      assertFalse(Files.exists(out), "nothing written for " + String.join(" ", extra));
    }
    CliRun smnist = CliRun.tca("train", "--task", "smnist", "--rule", "bptt", "--out",
        out.toString());
    assertUsageError(smnist, "smnist without --data");
    assertTrue(smnist.err().contains("data") && smnist.err().contains("MNIST"), smnist.err());
    CliRun missing = CliRun.tca("train", "--task", "smnist", "--rule", "bptt", "--data",
        tmp.resolve("nowhere").toString(), "--out", out.toString());
    assertUsageError(missing, "smnist with a missing --data");
    assertTrue(missing.err().contains("does not exist"), missing.err());
    CliRun unwritable = CliRun.tca(tinyTrain(file.resolve("sub")));
    assertUsageError(unwritable, "unwritable --out");
    assertTrue(unwritable.err().startsWith("tca: cannot write --out"), unwritable.err());
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "mine");
    CliRun full = CliRun.tca(tinyTrain(out));
    assertUsageError(full, "non-empty --out");
    assertTrue(full.err().contains("not empty"), full.err());
    assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    assertEquals(0, CliRun.tca(tinyTrain(out, "--force")).status());
    assertFalse(Files.exists(out.resolve("keep.txt")));
    assertTrue(Files.exists(out.resolve("metrics.json")));
    assertNoStaging(tmp);
  }

  /**
   * A network whose parameters cannot be one Java array is refused by name, and one whose run
   * will not fit in this JVM's heap is refused before allocating, naming the figure and
   * TCA_JAVA_OPTS=-Xmx.
   */
  @Test
  void tooLargeNetworksAreRefusedUpFront(@TempDir Path tmp) {
    CliRun huge = CliRun.tca(tinyTrain(tmp.resolve("huge"), "--hidden", "100000"));
    assertUsageError(huge, "N=100000");
    assertTrue(huge.err().contains("N=100000 hidden units has 10000")
        && huge.err().contains("one Java array holds"), huge.toString());
    // 40000 units with Adam over 8 shards: 12 P floats = 77 GB, more than this JVM may use
    long p = ModelConfig.builder(2, 40000, 2).build().parameterCount();
    assertTrue(12 * 4 * p > Runtime.getRuntime().maxMemory(), "the heap of this test is smaller");
    CliRun big = CliRun.tca(tinyTrain(tmp.resolve("big"), "--hidden", "40000", "--batch", "64",
        "--shards", "8", "--optimizer", "adam"));
    assertUsageError(big, "N=40000");
    assertTrue(big.err().contains("GiB") && big.err().contains("TCA_JAVA_OPTS=-Xmx"),
        big.toString());
    assertFalse(Files.exists(tmp.resolve("big")), "nothing written");
  }

  /**
   * Under a small -Xmx (as TCA_JAVA_OPTS sets it), a run that will not fit is refused up front
   * with exit status 2, and an OutOfMemoryError the estimate did not foresee (it does not count
   * the JVM's own use; evaluation chunks of 8 on one thread and 100 training trials keep its
   * evaluation and dataset terms small) ends in one line and exit status 1.
   */
  @Test
  void aSmallHeapRefusesOrReportsOutOfMemoryInOneLine(@TempDir Path tmp) throws Exception {
    CliRun refused = CliRun.child(List.of("-Xmx30m"),
        tinyTrain(tmp.resolve("a"), "--hidden", "1000", "--batch", "64"));
    assertEquals(2, refused.status(), refused.toString());
    assertEquals(1, tcaLines(refused).size(), refused.toString());
    assertTrue(tcaLines(refused).get(0).contains("but the JVM may use at most 30 MiB: give it"
        + " more memory with TCA_JAVA_OPTS=-Xmx"), refused.toString());
    CliRun oom = CliRun.child(List.of("-Xmx24m"), "train", "--task", "delayed-xor", "--rule",
        "bptt", "--hidden", "64", "--iters", "2", "--eval-batch", "8", "--threads", "1", "-q",
        "--n-train", "100", "--out", tmp.resolve("b").toString());
    assertEquals(1, oom.status(), oom.toString());
    assertEquals(List.of("tca: out of memory (the JVM may use at most 24 MiB): give it more with"
        + " TCA_JAVA_OPTS=-Xmx<size> (e.g. -Xmx2g), or use a smaller network, batch or sequence"),
        tcaLines(oom), oom.toString());
  }

  /** The output lines that are not the JVM's incubator warning. */
  private static List<String> tcaLines(CliRun r) {
    return r.out().lines().filter(l -> !l.startsWith("WARNING: Using incubator")).toList();
  }

  static void assertShape(Path file, NpyDtype dtype, int... shape) throws IOException {
    NpyArray a = Npy.read(file);
    assertEquals(dtype, a.dtype(), file.toString());
    assertArrayEquals(shape, a.intShape(), file.toString());
  }

  static void assertNoStaging(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<String> hidden = s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(".")).toList();
      assertEquals(List.of(), hidden, "no staging directories left");
    }
  }
}
