package org.tca.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.tca.numerics.linalg.LanczosResult;
import org.tca.numerics.linalg.PowerIterationResult;
import org.tca.rules.curvature.BlockSelection;
import org.tca.rules.curvature.FloatHessianVectorProduct;
import org.tca.rules.curvature.HessianEigensolver;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * lambda_max of the W_rec Hessian at the paper's sMNIST configuration (see
 * {@link HessianVectorProductBenchmark}), f32 products, single thread:
 * {@code lanczos} to a relative residual of 1e-6 (so lambda_max to within 1e-6 ||H||),
 * {@code lanczosWithPrepare} including the once-per-point forward and backward pass,
 * {@code lanczosGradientStart} started as the study probes start ({@link
 * HessianEigensolver#topFromGradient}: the W_rec gradient at the point, assembled from the stored
 * backward pass, plus the seed's random vector, both normalised; the assembly included), and
 * {@code powerRecipe}, the published recipe (random start, <= 500 products, stop when the
 * Rayleigh quotient changes by <= 1e-6). Targets: Lanczos &lt;= 90 ms and &gt;= 5x faster
 * than the recipe (PyTorch's recipe: 0.45 s).
 *
 * Per-thread CPU time per call is printed as {@code cpu:} ({@link CpuClock}).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar
 * LambdaMaxBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})
public class LambdaMaxBenchmark extends CpuClock {

  private FloatParameters params;
  private FloatBatch data;
  private FloatHessianVectorProduct hvp;
  private HessianEigensolver solver;
  private double[] start;

  @Setup(Level.Trial)
  public void setUp() {
    ModelConfig c = ModelConfig.builder(HessianVectorProductBenchmark.N_IN,
        HessianVectorProductBenchmark.N, HessianVectorProductBenchmark.N_OUT).build();
    params = FloatParameters.initialize(c, 1);
    data = HessianVectorProductBenchmark.batch(2);
    BlockSelection sel = BlockSelection.recurrent(params.layout(), params.structure());
    hvp = new FloatHessianVectorProduct(c, sel, HessianVectorProductBenchmark.B,
        HessianVectorProductBenchmark.T);
    hvp.prepare(params, data);
    solver = new HessianEigensolver(sel.dimension());
    start = new double[sel.dimension()];
    LanczosResult l = solver.top(hvp, 1, 1e-6, null, 7);
    hvp.gradient(start);
    LanczosResult g = solver.topFromGradient(hvp, start, 1e-6, 7);
    PowerIterationResult p = solver.powerRecipe(hvp, 3);
    System.out.printf("%n[LambdaMaxBenchmark] Lanczos %.9g in %d products (residual %.2e);"
        + " from the gradient start %.9g in %d products (residual %.2e);"
        + " power recipe %.9g in %d products%n", l.largest(), l.products(), l.topResiduals()[0],
        g.largest(), g.products(), g.topResiduals()[0], p.eigenvalue(), p.products());
  }

  @Override
  String clockLabel(BenchmarkParams bp) {
    return bp.getBenchmark();
  }

  @Benchmark
  public double lanczos() {
    calls++;
    return solver.top(hvp, 1, 1e-6, null, 7).largest();
  }

  @Benchmark
  public double lanczosWithPrepare() {
    calls++;
    hvp.prepare(params, data);
    return solver.top(hvp, 1, 1e-6, null, 7).largest();
  }

  @Benchmark
  public double lanczosGradientStart() {
    calls++;
    hvp.gradient(start);
    return solver.topFromGradient(hvp, start, 1e-6, 7).largest();
  }

  @Benchmark
  @Warmup(iterations = 1, time = 1)
  @Measurement(iterations = 3, time = 1)
  public double powerRecipe() {
    calls++;
    return solver.powerRecipe(hvp, 3).eigenvalue();
  }
}
