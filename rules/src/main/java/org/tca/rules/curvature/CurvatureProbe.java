package org.tca.rules.curvature;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tca.numerics.linalg.LanczosResult;
import org.tca.rules.learning.DoubleLearningRule;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.PrecisionConversion;
import org.tca.rules.train.CheckpointProbe;

/**
 * A trainer hook recording the curvature of the TRUE loss at checkpoints: lambda_max of the
 * Hessian of J over a chosen block (W_rec by default) on a fixed held-out batch, by Lanczos
 * ({@link HessianEigensolver}) warm-started from the previous checkpoint's top eigenvector, with
 * the gradient-descent stability line 2/eta beside it (GD cannot settle where lambda_max &gt;
 * 2/eta). With lambda_min recorded as well, a start on the previous top eigenvector saves little
 * (Lanczos must still find the other end). Metrics, in this order:
 *
 * <ul>
 *   <li>{@code lambda_max}, {@code lambda_max_residual} (||H y - theta y||), {@code
 *       lanczos_products}, {@code two_over_eta};</li>
 *   <li>with {@link Settings#bottom}: {@code lambda_min} (the most negative curvature);</li>
 *   <li>with {@link Settings#trace}: {@code trace}, {@code trace_se} (Hutch++, sketch 10, by the
 *       settings' stopping rule);</li>
 *   <li>when made with a learning rule: {@code seen_curvature}, c = v1'G v1 / v1'H v1 of that
 *       rule along the top eigenvector v1, measured in double precision (below).</li>
 * </ul>
 *
 * Lanczos products are f32 on the trainer's parameters (see {@link FloatHessianVectorProduct}).
 * c is measured on the f64 copy of the point: the parameters and the held-out batch widened
 * exactly ({@link PrecisionConversion}), G v by central differences of the f64 rule
 * ({@link DoubleSeenCurvature}: step u^(1/3) ~ 4.8e-6 relative, shrunk until no ReLU kink lies
 * within it) and v1'H v1 by an f64 product prepared at the widened point
 * ({@link DoubleHessianVectorProduct}); v1 is the f32 eigenvector (c is a ratio along any v).
 * The f64 rule must be the f32 rule's twin with the same options (same id, window, feedback
 * seed, mu: {@code DoubleRules.create}); a random feedback matrix is then the f64 draw the f32
 * rule rounded once. When kinks remain at the smallest step c is recorded as NaN (not
 * measurable there). Workspaces are sized once for the held-out batch, which must not change.
 *
 * <p>Without a previous vector (a {@link #cold} probe, or the first checkpoint) Lanczos starts
 * from the gradient at the checkpoint plus the seed's random vector when only lambda_max is
 * wanted ({@link HessianEigensolver#topFromGradient}), from the seed's random vector when
 * lambda_min is wanted too. A cold probe starts so at every checkpoint, so a
 * value depends only on the parameters there (a run resumed from a saved checkpoint measures
 * exactly what an uninterrupted one does), and records c at one chosen checkpoint only; it
 * builds its operators and workspaces once and reuses them, with the same bits as a new probe
 * per checkpoint.
 */
public final class CurvatureProbe implements CheckpointProbe {

  /** Hutch++ sketch size used for the trace. */
  public static final int TRACE_SKETCH = 10;

  /**
   * What the probe measures.
   *
   * @param blocks the parameter blocks of the Hessian (W_rec: the paper's)
   * @param tolerance the Lanczos relative residual tolerance
   * @param maxIterations the cap on Lanczos products per checkpoint
   * @param bottom whether to record lambda_min too
   * @param trace whether to record the trace
   * @param traceRule the trace estimator's stopping rule
   * @param seed seed of random starts and trace probes
   */
  public record Settings(Set<Block> blocks, double tolerance, int maxIterations, boolean bottom,
      boolean trace, TraceStoppingRule traceRule, long seed) {

    /** W_rec, tolerance 1e-6, at most 300 products, top only, no trace, seed 0. */
    public static Settings defaults() {
      return new Settings(EnumSet.of(Block.W_REC), 1e-6, 300, false, false,
          TraceStoppingRule.defaults(), 0L);
    }

    /** These settings with other blocks. */
    public Settings withBlocks(Set<Block> b) {
      return new Settings(b, tolerance, maxIterations, bottom, trace, traceRule, seed);
    }

    /** These settings with lambda_min recorded (or not). */
    public Settings withBottom(boolean on) {
      return new Settings(blocks, tolerance, maxIterations, on, trace, traceRule, seed);
    }

    /** These settings with the trace recorded (or not). */
    public Settings withTrace(boolean on) {
      return new Settings(blocks, tolerance, maxIterations, bottom, on, traceRule, seed);
    }
  }

  private final ModelConfig config;
  private final FloatBatch heldOut;
  private final Settings settings;
  private final DoubleLearningRule rule;
  private final boolean warm;
  private final long seenAt;
  private DoubleSeenCurvature seen;
  private FloatHessianVectorProduct hvp;
  private DoubleHessianVectorProduct wideHessian;
  private DoubleParameters wide;
  private DoubleBatch wideBatch;
  private SeenCurvature lastSeen;
  private HessianEigensolver solver;
  private double[] previous;
  private double[] gradient;

  /** A probe on a fixed held-out batch. */
  public CurvatureProbe(ModelConfig config, FloatBatch heldOut, Settings settings) {
    this(config, heldOut, settings, null);
  }

  /**
   * A probe that also records the seen-curvature of {@code rule}, the f64 twin of the rule being
   * trained (null: not recorded).
   */
  public CurvatureProbe(ModelConfig config, FloatBatch heldOut, Settings settings,
      DoubleLearningRule rule) {
    this(config, heldOut, settings, rule, true, -1);
  }

  private CurvatureProbe(ModelConfig config, FloatBatch heldOut, Settings settings,
      DoubleLearningRule rule, boolean warm, long seenAt) {
    this.config = config;
    this.heldOut = heldOut;
    this.settings = settings;
    this.rule = rule;
    this.warm = warm;
    this.seenAt = seenAt;
  }

  /**
   * A probe started cold at every checkpoint (see the class comment) that records the
   * seen-curvature of {@code rule} (null: never) at checkpoint {@code seenAt} only.
   */
  public static CurvatureProbe cold(ModelConfig config, FloatBatch heldOut, Settings settings,
      DoubleLearningRule rule, long seenAt) {
    return new CurvatureProbe(config, heldOut, settings, rule, false, seenAt);
  }

  @Override
  public Map<String, Double> measure(long iteration, double learningRate, FloatParameters params) {
    if (hvp == null) {
      BlockSelection sel =
          BlockSelection.of(params.layout(), params.structure(), settings.blocks());
      hvp = new FloatHessianVectorProduct(config, sel, heldOut.size(), heldOut.steps());
      solver = new HessianEigensolver(sel.dimension(), settings.maxIterations());
    }
    hvp.prepare(params, heldOut);
    int kBottom = settings.bottom() ? 1 : 0;
    double[] start = warm ? previous : null;
    LanczosResult last;
    if (start == null && kBottom == 0) {
      if (gradient == null) {
        gradient = new double[hvp.dimension()];
      }
      hvp.gradient(gradient);
      last = solver.topFromGradient(hvp, gradient, settings.tolerance(), settings.seed());
    } else {
      last = solver.extremes(hvp, 1, kBottom, settings.tolerance(), start, settings.seed());
    }
    previous = last.top().vector(0).clone();
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("lambda_max", last.largest());
    m.put("lambda_max_residual", last.topResiduals()[0]);
    m.put("lanczos_products", (double) last.products());
    m.put("two_over_eta", 2.0 / learningRate);
    if (settings.bottom()) {
      m.put("lambda_min", last.smallest());
    }
    if (settings.trace()) {
      TraceEstimate t = HessianTrace.hutchPlusPlus(hvp, TRACE_SKETCH, settings.traceRule(),
          settings.seed() + iteration);
      m.put("trace", t.trace());
      m.put("trace_se", t.standardError());
    }
    if (rule != null && (seenAt < 0 || iteration == seenAt)) {
      if (seen == null) {
        BlockSelection sel = hvp.selection();
        seen = new DoubleSeenCurvature(rule, sel, heldOut.size(), heldOut.steps());
        wideHessian =
            new DoubleHessianVectorProduct(config, sel, heldOut.size(), heldOut.steps());
        wide = PrecisionConversion.widen(params);
        wideBatch = PrecisionConversion.widen(heldOut);
      }
      PrecisionConversion.widen(params, wide);
      wideHessian.prepare(wide, wideBatch);
      lastSeen = seen.measure(wide, wideBatch, previous, wideHessian);
      m.put("seen_curvature", lastSeen.kinks() == 0 ? lastSeen.seen() : Double.NaN);
    }
    return m;
  }

  /** The top eigenvector of the last checkpoint, in the selection's coordinates (a copy). */
  public double[] lastTopVector() {
    return previous == null ? null : previous.clone();
  }

  /** The last seen-curvature measurement (f64, with its step and kinks), or null if none. */
  public SeenCurvature lastSeenCurvature() {
    return lastSeen;
  }

  /** The Hessian operator (prepared at the last checkpoint), or null before the first. */
  public FloatHessianVectorProduct hessian() {
    return hvp;
  }
}
