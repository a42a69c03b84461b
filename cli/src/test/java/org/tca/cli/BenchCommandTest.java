package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new String[] {Integer.toString(status), out.toString(), err.toString()};
  }

  private static double number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": ([-0-9.eE+]+)").matcher(json);
    assertTrue(m.find(), key + " missing in " + json);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void jsonHasTimingAndNominalFlops() {
    String[] r = run("bench", "--task", "delayed-xor", "--rule", "bptt", "--cue", "5", "--delay",
        "5", "--std", "2", "--hidden", "16", "--batch", "8", "--iters", "5", "--seconds", "0.2",
        "--warmup-seconds", "0.2", "--max-warmup-seconds", "5", "--threads", "2", "--shards",
        "3", "--json");
    assertEquals("0", r[0], r[2]);
    String json = r[1].strip();
    double ms = number(json, "ms_per_iter");
    double gflops = number(json, "gflops");
    assertTrue(ms > 0 && gflops > 0, json);
    int t = (int) number(json, "steps");
    // nominal BPTT work: 3 x forward, forward = 2 T B (N_in N + N N) + 2 B N N_out (last-step loss)
    double forward = 2.0 * t * 8 * (2 * 16 + 16 * 16) + 2.0 * 8 * 16 * 2;
    assertEquals(3 * forward / (ms * 1e6), gflops, 1e-3 * gflops + 1e-5, json);
    assertTrue(json.contains("\"status\": \"ok\""), json);
    // the median lies within the 10-90% range of the per-iteration times
    assertTrue(number(json, "ms_p10") <= ms && ms <= number(json, "ms_p90"), json);
    assertTrue(number(json, "iters") >= 5, json);
    assertTrue(number(json, "warmup_iters") >= 3, json);
    assertEquals(3, (int) number(json, "shards"), json);
    assertEquals(2, (int) number(json, "threads"), json);
  }

  @Test
  void quantilesInterpolateBetweenOrderStatistics() {
    double[] v = {1, 2, 3, 4, 5};
    assertEquals(3, BenchCommand.quantile(v, 0.5), 0);
    assertEquals(1.4, BenchCommand.quantile(v, 0.1), 1e-12);
    assertEquals(4.6, BenchCommand.quantile(v, 0.9), 1e-12);
    assertEquals(2.5, BenchCommand.quantile(new double[] {2, 3}, 0.5), 0);
  }

  @Test
  void badInputExitsTwo() {
    assertEquals("2", run("bench", "--task", "delayed-xor", "--rule", "nope")[0]);
    assertEquals("2", run("bench", "--task", "delayed-xor", "--rule", "bptt", "--iters", "0")[0]);
    assertEquals("2", run("bench", "--task", "delayed-xor", "--rule", "bptt", "--tolerance",
        "0")[0]);
    assertEquals("2", run("bench", "--task", "delayed-xor", "--rule", "bptt", "--warmup-seconds",
        "5", "--max-warmup-seconds", "1")[0]);
  }
}
