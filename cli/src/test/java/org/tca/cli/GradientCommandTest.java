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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.numerics.io.Npy;
import org.tca.numerics.io.NpyArray;
import org.tca.numerics.io.NpyDtype;
import org.tca.numerics.storage.FloatMatrix;
import org.tca.rules.learning.DoubleLearningRule;
import org.tca.rules.learning.DoubleRules;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.RecurrentStructure;

/**
 * tca gradient end to end: the files and their shapes, and the gradient in grad/ against an
 * independent f64 recomputation from the written params and batch (read with Npy alone, the
 * model rebuilt from the command-line values, not from model.json). Both are within the
 * forward-error bound of PrecisionAgreementTest, 16 sqrt(2 T n_step + T B) u ||g||_inf, with u
 * the unit roundoff of the output precision: f64 output differs from the recomputation only by
 * summation order (the vector kernels' lane reductions round differently before and after JIT
 * compilation), so any plumbing error (layouts, batch-major conversion, masks) shows up as an
 * O(1) error far above the bound.
 */
class GradientCommandTest {

  static final int H = 6;
  static final int B = 5;
  static final int T = 8; // delayed XOR with cue 3, delay 2

  static String[] xorArgs(Path out, String... extra) {
    return TrainCommandTest.args(new String[] {"gradient", "--task", "delayed-xor", "--cue", "3",
        "--delay", "2", "--std", "1", "--n-train", "20", "--rule", "bptt", "--hidden", "6",
        "--batch", "5", "--seed", "3", "--out", out.toString()}, extra);
  }

  /** The model the xor commands describe, built independently of model.json. */
  static ModelConfig xorModel() {
    return ModelConfig.builder(2, H, 2).tau(100, 1).build();
  }

  /** A NaN or infinity in an input array is a usage error naming the file and the element. */
  @Test
  void nonFiniteInputsAreNamed(@TempDir Path tmp) throws IOException {
    Path g = tmp.resolve("g");
    assertEquals(0, CliRun.tca(xorArgs(g)).status());
    String[][] cases = {{"params/W_rec.npy", "[2, 3]", "NaN"}, {"batch/x.npy", "[1, 4, 0]",
        "Infinity"}};
    for (String[] c : cases) {
      Path file = g.resolve(c[0]);
      NpyArray a = Npy.read(file);
      float[] v = a.floats().clone();
      int[] shape = a.intShape();
      int[] at = java.util.Arrays.stream(c[1].replaceAll("[\\[\\] ]", "").split(","))
          .mapToInt(Integer::parseInt).toArray();
      int flat = 0;
      for (int k = 0; k < shape.length; k++) {
        flat = flat * shape[k] + at[k];
      }
      float good = v[flat];
      v[flat] = c[2].equals("NaN") ? Float.NaN : Float.POSITIVE_INFINITY;
      Npy.write(file, v, shape);
      CliRun r = CliRun.tca("curvature", "--params", g.toString(), "--out",
          tmp.resolve("c.json").toString());
      assertEquals(2, r.status(), r.toString());
      assertEquals("tca: --params " + g + ": " + file + ": element " + c[1] + " is " + c[2]
          + "; inputs must be finite", r.err().strip());
      v[flat] = good;
      Npy.write(file, v, shape);
    }
    assertEquals(0, CliRun.tca("curvature", "--params", g.toString(), "--out",
        tmp.resolve("c.json").toString()).status());
  }

  @Test
  void f32GradientFilesHaveTheLayoutAndMatchAnF64Recomputation(@TempDir Path tmp)
      throws IOException {
    Path g = tmp.resolve("g");
    CliRun r = CliRun.tca(xorArgs(g));
    assertEquals(0, r.status(), r.toString());
    TrainCommandTest.assertShape(g.resolve("batch/x.npy"), NpyDtype.FLOAT32, B, T, 2);
    TrainCommandTest.assertShape(g.resolve("batch/target.npy"), NpyDtype.INT32, B);
    TrainCommandTest.assertShape(g.resolve("batch/loss_mask.npy"), NpyDtype.FLOAT32, T);
    for (String dir : new String[] {"params", "grad"}) {
      TrainCommandTest.assertShape(g.resolve(dir + "/W_in.npy"), NpyDtype.FLOAT32, H, 2);
      TrainCommandTest.assertShape(g.resolve(dir + "/W_rec.npy"), NpyDtype.FLOAT32, H, H);
      TrainCommandTest.assertShape(g.resolve(dir + "/b_rec.npy"), NpyDtype.FLOAT32, H);
      TrainCommandTest.assertShape(g.resolve(dir + "/W_out.npy"), NpyDtype.FLOAT32, 2, H);
      TrainCommandTest.assertShape(g.resolve(dir + "/b_out.npy"), NpyDtype.FLOAT32, 2);
    }
    JsonNode m = new ObjectMapper().readTree(g.resolve("model.json").toFile());
    assertEquals(Math.exp(-0.01), m.get("a").asDouble(), 0.0);
    assertEquals("relu", m.get("activation").asText());
    assertEquals("cross-entropy", m.get("loss").asText());
    assertEquals(0.01, m.get("l2").asDouble(), 0.0);
    assertTrue(m.get("no_autapse").asBoolean());
    assertEquals("masks/W_rec_mask.npy", m.get("masks").get("W_rec").asText());
    assertEquals("bptt", m.get("rule").asText());
    assertEquals(B, m.get("batch").asInt());

    Recomputed x = recompute(g, xorModel(), "bptt", RuleOptions.defaults());
    double rel = assertWithinBound(x, Math.ulp(1.0f) / 2, H + 2 + 2 + 2, T, B);
    assertEquals(x.objective, m.get("objective").asDouble(), rel * x.objective);
  }

  /** Checks the bound (see the class comment) and returns the relative bound used. */
  static double assertWithinBound(Recomputed x, double u, int nStep, int steps, int batch) {
    double rel = 16 * Math.sqrt(2.0 * steps * nStep + steps * batch) * u;
    double scale = 0;
    double err = 0;
    for (int i = 0; i < x.grad.length; i++) {
      scale = Math.max(scale, Math.abs(x.grad[i]));
      err = Math.max(err, Math.abs(x.written[i] - x.grad[i]));
    }
    assertTrue(scale > 0);
    assertTrue(err <= rel * scale, "gradient error " + err + " > " + rel * scale);
    return rel;
  }

  @Test
  void f64GradientMatchesTheRecomputationAndSharesTheF32Weights(@TempDir Path tmp)
      throws IOException {
    Path g64 = tmp.resolve("g64");
    Path g32 = tmp.resolve("g32");
    assertEquals(0, CliRun.tca(xorArgs(g64, "--precision", "f64")).status());
    assertEquals(0, CliRun.tca(xorArgs(g32)).status());
    TrainCommandTest.assertShape(g64.resolve("grad/W_rec.npy"), NpyDtype.FLOAT64, H, H);
    Recomputed x = recompute(g64, xorModel(), "bptt", RuleOptions.defaults());
    assertWithinBound(x, Math.ulp(1.0) / 2, H + 2 + 2 + 2, T, B);
    for (Block b : Block.values()) {
      float[] f = Npy.read(g32.resolve("params/" + b.id() + ".npy")).floats();
      double[] d = Npy.read(g64.resolve("params/" + b.id() + ".npy")).doubles();
      for (int i = 0; i < f.length; i++) {
        assertEquals(f[i], d[i], 0.0, "same initial weights " + b.id());
      }
    }
    GradientDirectory.Contents c = GradientDirectory.read(g64);
    assertEquals("f64", c.precision());
    assertArrayEquals(x.written, c.gradient(), 0.0);
    assertArrayEquals(x.batch.x(), c.batch().x(), 0.0);
    assertArrayEquals(x.batch.labels(), c.batch().labels());
  }

  @Test
  void regressionTargetsAndTruncatedRule(@TempDir Path tmp) throws IOException {
    Path g = tmp.resolve("g");
    CliRun r = CliRun.tca("gradient", "--task", "pattern-generation", "--steps", "9",
        "--inputs", "4", "--n-train", "10", "--rule", "tbptt", "--window", "2", "--hidden", "5",
        "--batch", "3", "--precision", "f64", "--dale", "--out", g.toString());
    assertEquals(0, r.status(), r.toString());
    TrainCommandTest.assertShape(g.resolve("batch/target.npy"), NpyDtype.FLOAT64, 3, 9, 1);
    TrainCommandTest.assertShape(g.resolve("masks/dale_sign.npy"), NpyDtype.INT8, 5);
    ModelConfig c = ModelConfig.builder(4, 5, 1).loss(LossKind.MSE).tau(20, 1).dale(true)
        .build();
    Recomputed x = recompute(g, c, "tbptt", RuleOptions.defaults().withWindow(2));
    assertWithinBound(x, Math.ulp(1.0) / 2, 5 + 4 + 1 + 2, 9, 3);
    JsonNode m = new ObjectMapper().readTree(g.resolve("model.json").toFile());
    assertEquals(2, m.get("rule_settings").get("window").asInt());
  }

  @Test
  void everyAuxiliaryMatrixOfTheRuleIsWritten(@TempDir Path tmp) throws IOException {
    Path g = tmp.resolve("g");
    assertEquals(0, CliRun.tca(xorArgs(g, "--rule", "rflo", "--feedback-seed", "7")).status());
    Map<String, FloatMatrix> aux = FloatRules.create("rflo", xorModel(),
        RuleOptions.defaults().withFeedbackSeed(7)).auxiliaryMatrices();
    JsonNode m = new ObjectMapper().readTree(g.resolve("model.json").toFile());
    assertEquals(aux.size(), m.get("auxiliary").size());
    for (Map.Entry<String, FloatMatrix> e : aux.entrySet()) {
      NpyArray a = Npy.read(g.resolve(m.get("auxiliary").get(e.getKey()).asText()));
      assertArrayEquals(new int[] {e.getValue().rows(), e.getValue().cols()}, a.intShape());
      assertArrayEquals(e.getValue().toDenseArray(), a.floats());
    }
  }

  @Test
  void modPropSenderPlacementIsAnOption(@TempDir Path tmp) throws IOException {
    Path g = tmp.resolve("g");
    assertEquals(0, CliRun.tca(xorArgs(g, "--rule", "modprop", "--mu-placement", "sender"))
        .status());
    JsonNode m = new ObjectMapper().readTree(g.resolve("model.json").toFile());
    assertTrue(m.get("rule_settings").get("mu_placement").asText().startsWith("sender: "),
        m.get("rule_settings").toString());
  }

  @Test
  void badInputIsAUsageErrorAndWritesNothing(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("never");
    Path other = tmp.resolve("other");
    assertEquals(0, CliRun.tca("gradient", "--task", "pattern-generation", "--steps", "5",
        "--n-train", "4", "--rule", "bptt", "--hidden", "3", "--batch", "2", "--out",
        other.toString()).status());
    Files.writeString(tmp.resolve("file"), "x");
    String[][] cases = {
        {"--precision", "f16"},
        {"--params", tmp.resolve("missing").toString()},
        {"--params", other.toString()},
        {"--params", tmp.toString()},
        {"--batch", "0"},
        {"--batch", "21"},
        {"--rule", "bptt", "--window", "0"},
        {"--rule", "modprop", "--mu-placement", "readout"},
        {"--rule", "modprop", "--mu-placement", "sender", "--cell", "rate-leak"},
        {"--out", tmp.resolve("file").resolve("x").toString()},
    };
    for (String[] extra : cases) {
      CliRun r = CliRun.tca(xorArgs(out, extra));
      TrainCommandTest.assertUsageError(r, String.join(" ", extra));
      assertFalse(Files.exists(out));
    }
    TrainCommandTest.assertNoStaging(tmp);
  }

  private record Recomputed(double[] grad, double[] written, double objective,
      DoubleBatch batch) {}

  /** Reads params and batch with Npy only and recomputes the rule's gradient in f64. */
  private static Recomputed recompute(Path g, ModelConfig c, String rule, RuleOptions o)
      throws IOException {
    int n = c.hidden();
    boolean[] allowed = null;
    if (c.masked()) {
      NpyArray mask = Npy.read(g.resolve("masks/W_rec_mask.npy"));
      allowed = new boolean[n * n];
      for (int i = 0; i < allowed.length; i++) {
        allowed[i] = mask.getAsDouble(i) != 0;
      }
    }
    RecurrentStructure s = RecurrentStructure.of(n, allowed, c.dale(), c.excitatoryCount());
    DoubleParameters p = new DoubleParameters(c, s);
    double[] written = new double[p.data().length];
    for (Block b : Block.values()) {
      var v = p.view(b);
      if (v.size() == 0) {
        continue;
      }
      NpyArray a = Npy.read(g.resolve("params/" + b.id() + ".npy"));
      NpyArray d = Npy.read(g.resolve("grad/" + b.id() + ".npy"));
      for (int i = 0; i < v.size(); i++) {
        p.data()[v.offset() + i] = a.getAsDouble(i);
        written[v.offset() + i] = d.getAsDouble(i);
      }
    }
    NpyArray x = Npy.read(g.resolve("batch/x.npy"));
    NpyArray target = Npy.read(g.resolve("batch/target.npy"));
    NpyArray mask = Npy.read(g.resolve("batch/loss_mask.npy"));
    int bs = (int) x.dim(0);
    int steps = (int) x.dim(1);
    DoubleBatch batch = c.loss() == LossKind.CROSS_ENTROPY
        ? DoubleBatch.classification(steps, bs, c.inputs(), c.outputs(), false)
        : DoubleBatch.regression(steps, bs, c.inputs(), c.outputs());
    for (int b = 0; b < bs; b++) {
      for (int t = 0; t < steps; t++) {
        for (int i = 0; i < c.inputs(); i++) {
          batch.x()[(t * bs + b) * c.inputs() + i] =
              x.getAsDouble((b * steps + t) * c.inputs() + i);
        }
        if (!batch.classification()) {
          for (int k = 0; k < c.outputs(); k++) {
            batch.targets()[(t * bs + b) * c.outputs() + k] =
                target.getAsDouble((b * steps + t) * c.outputs() + k);
          }
        }
      }
      if (batch.classification()) {
        batch.labels()[b] = (int) target.getAsDouble(b);
      }
    }
    for (int t = 0; t < steps; t++) {
      batch.lossMask()[t] = mask.getAsDouble(t);
    }
    DoubleLearningRule r = DoubleRules.create(rule, c, o);
    double[] grad = p.newGradient();
    double j = r.gradient(p, batch, r.newWorkspace(bs, steps), grad);
    return new Recomputed(grad, written, j, batch);
  }
}
