package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DoctorCommandTest {

  private record Run(int status, String out, String err) {}

  private static Run tca(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(status, out.toString(), err.toString());
  }

  private static double number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": ([-0-9.eE+]+)").matcher(json);
    assertTrue(m.find(), key + " missing in " + json);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void jsonReportsVectorProviderAndPositiveRates() {
    Run r = tca("doctor", "--json", "--seconds", "0.3");
    assertEquals(0, r.status(), r.err());
    String json = r.out().strip();
    assertTrue(json.startsWith("{") && json.endsWith("}"), json);
    assertTrue(json.contains("\"provider\": \"vector\""), json);
    assertTrue(number(json, "vector_bits") >= 128, json);
    assertTrue(number(json, "sgemm_gflops") > 0, json);
    assertTrue(number(json, "rank1_gbps") > 0, json);
    assertTrue(number(json, "cores") >= 1, json);
  }

  @Test
  void textMentionsProviderAndFigures() {
    Run r = tca("doctor", "--seconds", "0.2");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("kernels     vector"), r.out());
    assertTrue(r.out().contains("GFLOP/s") && r.out().contains("GB/s"), r.out());
  }

  @Test
  void badInputIsOneLineAndExitTwo() {
    Run unknown = tca("doctor", "--bogus");
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().startsWith("tca: Unknown option: '--bogus'"), unknown.err());
    Run badValue = tca("doctor", "--seconds", "-1");
    assertEquals(2, badValue.status());
    assertEquals("tca: --seconds must be in (0, 600], got -1.0", badValue.err().strip());
    Run noCommand = tca("frobnicate");
    assertEquals(2, noCommand.status());
  }
}
