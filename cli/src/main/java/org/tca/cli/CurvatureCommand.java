package org.tca.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.tca.numerics.io.Npy;
import org.tca.numerics.linalg.LanczosResult;
import org.tca.numerics.linalg.PowerIterationResult;
import org.tca.numerics.linalg.SymmetricOperator;
import org.tca.rules.curvature.BlockSelection;
import org.tca.rules.curvature.DoubleHessianVectorProduct;
import org.tca.rules.curvature.FloatHessianVectorProduct;
import org.tca.rules.curvature.HessianEigensolver;
import org.tca.rules.curvature.HessianTrace;
import org.tca.rules.curvature.SpectralDensity;
import org.tca.rules.curvature.StochasticLanczosQuadrature;
import org.tca.rules.curvature.TraceEstimate;
import org.tca.rules.curvature.TraceStoppingRule;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.ParameterLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tca curvature}: the spectrum of the Hessian of the TRUE loss J (data loss plus L2) of a
 * saved model on its saved batch ({@link GradientDirectory} layout: params/ and batch/), over a
 * parameter block, from exact Hessian-vector products (forward-over-reverse). Writes FILE.json
 * with {@code top} (largest first) and {@code bottom} (smallest first) eigenvalues, their
 * residuals, the products used, optionally the trace (Hutch++, sketch 10, with its standard
 * error) and the spectral density (stochastic Lanczos quadrature, grid + density), and the
 * eigenvectors beside it as FILE.top.npy / FILE.bottom.npy: [K, rows, cols] for one matrix
 * block (entries that are not parameters are 0), [K, rows] for one bias, else [K, d] in the
 * order of the selection's coordinates (blocks in layout order, row-major, non-parameters left
 * out).
 */
@Command(name = "curvature", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Eigenvalues (top/bottom), trace and spectral density of the loss Hessian of a "
        + "saved model (tca gradient layout) on its saved batch.")
final class CurvatureCommand implements Callable<Integer> {

  @Option(names = "--params", required = true, paramLabel = "DIR",
      description = "Directory written by tca gradient (params/ and batch/).")
  Path dir;

  @Option(names = "--block", defaultValue = "W_rec", paramLabel = "B",
      description = "W_rec, W_in, W_out, b_rec, b_out, biases, all, or a comma list "
          + "(default: ${DEFAULT-VALUE}).")
  String block;

  @Option(names = "--top", defaultValue = "1", paramLabel = "K",
      description = "Number of largest eigenvalues (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--bottom", defaultValue = "0", paramLabel = "K",
      description = "Number of smallest eigenvalues (default: ${DEFAULT-VALUE}).")
  int bottom;

  @Option(names = "--method", defaultValue = "lanczos", paramLabel = "M",
      description = "lanczos, or power (the published recipe: <= 500 products, stop when the "
          + "estimate changes by <= --tol; top 1 only) (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--trace", description = "Estimate the trace (Hutch++, 1% standard error).")
  boolean trace;

  @Option(names = "--density", description = "Estimate the spectral density (SLQ).")
  boolean density;

  @Option(names = "--tol", defaultValue = "1e-6", paramLabel = "X",
      description = "Lanczos relative residual tolerance, or the power recipe's change "
          + "(default: ${DEFAULT-VALUE}).")
  double tol;

  @Option(names = "--precision", paramLabel = "P",
      description = "f32 or f64 products (default: the directory's precision).")
  String precision;

  @Option(names = "--probes", defaultValue = "8", paramLabel = "P",
      description = "SLQ probes for --density (default: ${DEFAULT-VALUE}).")
  int probes;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
      description = "Seed of random starts and probes (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Output file.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    GradientDirectory.Contents c = read();
    Set<Block> blocks = parseBlocks();
    String prec = precision == null ? c.precision() : precision;
    if (!"f32".equals(prec) && !"f64".equals(prec)) {
      throw new UsageException("--precision must be f32 or f64, got '" + prec + "'");
    }
    BlockSelection sel;
    try {
      sel = BlockSelection.of(c.parameters().layout(), c.structure(), blocks);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--block " + block + ": " + e.getMessage());
    }
    checkCounts(sel.dimension());
    DoubleBatch batch = c.batch();
    double objective;
    SymmetricOperator h;
    if (prec.equals("f64")) {
      var op = new DoubleHessianVectorProduct(c.config(), sel, batch.size(), batch.steps());
      objective = op.prepare(c.doubleParameters(), batch);
      h = op;
    } else {
      var op = new FloatHessianVectorProduct(c.config(), sel, batch.size(), batch.steps());
      objective = op.prepare(c.floatParameters(), c.floatBatch());
      h = op;
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("params", dir.toString());
    json.put("blocks", sel.blocks().stream().map(Block::id).toList());
    json.put("dimension", sel.dimension());
    json.put("precision", prec);
    json.put("objective", objective);
    json.put("method", method);
    json.put("tolerance", tol);
    Map<String, Object> products = new LinkedHashMap<>();
    ParameterLayout layout = c.parameters().layout();
    String stem = stem();
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    if (top + bottom > 0) {
      HessianEigensolver solver = new HessianEigensolver(sel.dimension());
      if (method.equals("power")) {
        PowerIterationResult r = solver.power(h, 500, tol, false, null, seed);
        json.put("top", List.of(r.eigenvalue()));
        json.put("top_magnitude", r.magnitude());
        json.put("bottom", List.of());
        json.put("converged", r.converged());
        products.put("eigen", r.products());
        writeVectors(parent.resolve(stem + ".top.npy"), layout, sel,
            new double[][] {r.vector()});
        json.put("top_vectors", stem + ".top.npy");
      } else {
        LanczosResult r = solver.extremes(h, top, bottom, tol, null, seed);
        json.put("top", list(r.top().values()));
        json.put("top_residuals", list(r.topResiduals()));
        json.put("bottom", list(r.bottom().values()));
        json.put("bottom_residuals", list(r.bottomResiduals()));
        json.put("converged", r.converged());
        products.put("eigen", r.products());
        if (top > 0) {
          writeVectors(parent.resolve(stem + ".top.npy"), layout, sel, r.top().vectors());
          json.put("top_vectors", stem + ".top.npy");
        }
        if (bottom > 0) {
          writeVectors(parent.resolve(stem + ".bottom.npy"), layout, sel, r.bottom().vectors());
          json.put("bottom_vectors", stem + ".bottom.npy");
        }
      }
    }
    if (trace) {
      TraceEstimate t = HessianTrace.hutchPlusPlus(h, 10, TraceStoppingRule.defaults(), seed + 1);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", t.method());
      m.put("estimate", t.trace());
      m.put("standard_error", t.standardError());
      m.put("probes", t.probes());
      m.put("converged", t.converged());
      json.put("trace", m);
      products.put("trace", t.products());
    }
    if (density) {
      int steps = Math.min(sel.dimension(), StochasticLanczosQuadrature.DEFAULT_STEPS);
      SpectralDensity s = new StochasticLanczosQuadrature(sel.dimension(), steps)
          .estimate(h, probes, seed + 2);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", "slq");
      m.put("probes", probes);
      m.put("steps", steps);
      m.put("sigma", s.sigma());
      m.put("grid", list(s.grid()));
      m.put("density", list(s.density()));
      json.put("density", m);
      products.put("density", s.products());
    }
    products.put("total", products.values().stream().mapToInt(o -> (Integer) o).sum());
    json.put("products", products);
    JsonFiles.write(out, json);
    var w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "tca curvature: %s over %s (%d coordinates), %s, J = %.9g%n", dir,
        String.join(",", sel.blocks().stream().map(Block::id).toList()), sel.dimension(), prec,
        objective);
    if (json.containsKey("top")) {
      w.printf(Locale.ROOT, "top %s  bottom %s%n", json.get("top"), json.get("bottom"));
    }
    w.printf(Locale.ROOT, "products %s; wrote %s%n", products, out);
    w.flush();
    return 0;
  }

  private GradientDirectory.Contents read() {
    GradientDirectory.Contents c;
    try {
      c = GradientDirectory.read(dir);
    } catch (IOException e) {
      throw new UsageException("--params " + dir + ": " + e.getMessage());
    }
    if (c.batch() == null) {
      throw new UsageException("--params " + dir + " has no batch/ (write it with tca gradient)");
    }
    return c;
  }

  private Set<Block> parseBlocks() {
    try {
      return BlockSelection.parseBlocks(block);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--block: " + e.getMessage());
    }
  }

  private void checkCounts(int d) {
    if (!method.equals("lanczos") && !method.equals("power")) {
      throw new UsageException("--method must be lanczos or power, got '" + method + "'");
    }
    if (top < 0 || bottom < 0 || top + bottom > d) {
      throw new UsageException("--top and --bottom must be >= 0 with sum <= " + d);
    }
    if (method.equals("power") && (top != 1 || bottom != 0)) {
      throw new UsageException("--method power finds the top eigenvalue only (--top 1 --bottom 0)");
    }
    if (top + bottom == 0 && !trace && !density) {
      throw new UsageException("nothing to compute: ask for --top, --bottom, --trace or --density");
    }
    if (!(tol >= 0) || probes < 1) {
      throw new UsageException("--tol must be >= 0 and --probes >= 1");
    }
  }

  private String stem() {
    String name = out.getFileName().toString();
    return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
  }

  private static List<Double> list(double[] a) {
    List<Double> l = new ArrayList<>(a.length);
    for (double x : a) {
      l.add(x);
    }
    return l;
  }

  /** Eigenvectors shaped as described in the class comment. */
  private static void writeVectors(Path file, ParameterLayout layout, BlockSelection sel,
      double[][] vectors) throws IOException {
    int k = vectors.length;
    int d = sel.dimension();
    if (sel.blocks().size() == 1) {
      BlockView v = layout.view(sel.blocks().iterator().next());
      double[] flat = new double[sel.parameterCount()];
      double[] data = new double[k * v.size()];
      for (int i = 0; i < k; i++) {
        java.util.Arrays.fill(flat, 0.0);
        sel.scatter(vectors[i], flat);
        System.arraycopy(flat, v.offset(), data, i * v.size(), v.size());
      }
      if (v.block().isMatrix()) {
        Npy.write(file, data, k, v.rows(), v.cols());
      } else {
        Npy.write(file, data, k, v.rows());
      }
      return;
    }
    double[] data = new double[k * d];
    for (int i = 0; i < k; i++) {
      System.arraycopy(vectors[i], 0, data, i * d, d);
    }
    Npy.write(file, data, k, d);
  }
}
