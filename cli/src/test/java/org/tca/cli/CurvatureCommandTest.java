package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.numerics.io.Npy;
import org.tca.numerics.io.NpyArray;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.linalg.DenseSymmetricEigen;
import org.tca.numerics.linalg.EigenPairs;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.curvature.BlockSelection;
import org.tca.rules.curvature.DoubleHessianVectorProduct;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;
import picocli.CommandLine;

/**
 * {@code tca curvature} on a directory in the {@code tca gradient} layout: eigenvalues against
 * the dense Hessian assembled from f64 products, eigenvector files, trace and density present,
 * and usage errors.
 */
class CurvatureCommandTest {

  @TempDir Path tmp;

  private static Path gradientDirectory(Path dir) throws Exception {
    ModelConfig c = ModelConfig.builder(3, 5, 2).activation(Activation.TANH).leak(0.4).build();
    DoubleParameters p = DoubleParameters.initialize(c, 5);
    DoubleBatch b = DoubleBatch.classification(6, 4, 3, 2, false);
    RandomStream r = new RandomStream(6);
    r.fillNormal(b.x(), 0, b.x().length, 0, 1);
    for (int i = 0; i < 4; i++) {
      b.labels()[i] = r.nextInt(2);
    }
    GradientDirectory.write(dir, new GradientDirectory.Contents(c, p.structure(),
        EnumSet.noneOf(Block.class), "f64", p, b, null, null, Map.of(), Map.of(), Map.of()));
    return dir;
  }

  private static int run(String... args) {
    CommandLine cl = new CommandLine(new CurvatureCommand());
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  @Test
  void eigenvaluesTraceAndDensityOfTheRecurrentBlock() throws Exception {
    Path dir = gradientDirectory(tmp.resolve("g"));
    Path out = tmp.resolve("res/curv.json");
    assertEquals(0, run("--params", dir.toString(), "--top", "2", "--bottom", "1", "--trace",
        "--density", "--tol", "1e-10", "--out", out.toString()));
    JsonNode j = JsonFiles.readTree(out);

    GradientDirectory.Contents c = GradientDirectory.read(dir);
    DoubleParameters p = c.doubleParameters();
    BlockSelection sel = BlockSelection.recurrent(p.layout(), p.structure());
    DoubleHessianVectorProduct h =
        new DoubleHessianVectorProduct(c.config(), sel, c.batch().size(), c.batch().steps());
    h.prepare(p, c.batch());
    int d = sel.dimension();
    double[] dense = new double[d * d];
    double[] e = new double[d];
    double[] col = new double[d];
    for (int k = 0; k < d; k++) {
      e[k] = 1;
      h.apply(e, col);
      e[k] = 0;
      for (int i = 0; i < d; i++) {
        dense[i * d + k] = col[i];
      }
    }
    EigenPairs exact = DenseSymmetricEigen.decompose(d, dense, 1e-10);
    double norm = Math.max(Math.abs(exact.value(0)), Math.abs(exact.value(d - 1)));
    assertEquals(d, j.get("dimension").asInt());
    assertEquals(exact.value(d - 1), j.get("top").get(0).asDouble(), 1e-9 * norm);
    assertEquals(exact.value(d - 2), j.get("top").get(1).asDouble(), 1e-9 * norm);
    assertEquals(exact.value(0), j.get("bottom").get(0).asDouble(), 1e-9 * norm);
    double trace = 0;
    for (int i = 0; i < d; i++) {
      trace += exact.value(i);
    }
    JsonNode t = j.get("trace");
    assertEquals(trace, t.get("estimate").asDouble(),
        4 * t.get("standard_error").asDouble() + 1e-9);
    assertEquals(j.get("density").get("grid").size(), j.get("density").get("density").size());
    assertTrue(j.get("products").get("total").asInt() > 0);
    NpyArray v = Npy.read(tmp.resolve("res/curv.top.npy"));
    assertArrayEquals(new int[] {2, 5, 5}, v.intShape());
    assertEquals(0.0, v.getAsDouble(2 * 5 + 2)); // an autapse: not a parameter
    assertArrayEquals(new int[] {1, 5, 5}, Npy.read(tmp.resolve("res/curv.bottom.npy")).intShape());
  }

  @Test
  void powerRecipeAndAllBlocks() throws Exception {
    Path dir = gradientDirectory(tmp.resolve("g"));
    Path out = tmp.resolve("p.json");
    assertEquals(0, run("--params", dir.toString(), "--method", "power", "--block", "all",
        "--precision", "f32", "--out", out.toString()));
    JsonNode j = JsonFiles.readTree(out);
    assertEquals("f32", j.get("precision").asText());
    assertTrue(j.get("top").get(0).asDouble() != 0);
    NpyArray v = Npy.read(tmp.resolve("p.top.npy"));
    assertEquals(j.get("dimension").asInt(), v.intShape()[1]);
  }

  @Test
  void usageErrors() throws Exception {
    Path dir = gradientDirectory(tmp.resolve("g"));
    CurvatureCommand cmd = new CurvatureCommand();
    new CommandLine(cmd).parseArgs("--params", dir.toString(), "--block", "W_foo",
        "--out", tmp.resolve("x.json").toString());
    assertThrows(UsageException.class, cmd::call);
    CurvatureCommand power = new CurvatureCommand();
    new CommandLine(power).parseArgs("--params", dir.toString(), "--method", "power",
        "--top", "2", "--out", tmp.resolve("x.json").toString());
    assertThrows(UsageException.class, power::call);
    CurvatureCommand missing = new CurvatureCommand();
    new CommandLine(missing).parseArgs("--params", tmp.resolve("nope").toString(),
        "--out", tmp.resolve("x.json").toString());
    assertThrows(UsageException.class, missing::call);
  }
}
