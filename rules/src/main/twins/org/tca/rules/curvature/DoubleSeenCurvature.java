package org.tca.rules.curvature;

import java.util.Arrays;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.linalg.SymmetricOperator;
import org.tca.rules.learning.DoubleLearningRule;
import org.tca.rules.learning.DoubleWorkspace;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleNetwork;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.DoubleTrajectory;

/**
 * Seen-curvature c = v'Gv / v'Hv of a learning rule along a direction v over a
 * {@link BlockSelection} (see {@link SeenCurvature}). G v, the directional derivative of the
 * rule's offline update field g (its {@link DoubleLearningRule#gradient}, L2 term included,
 * frozen blocks 0), is taken by central differences,
 *
 * <pre>
 *   G v ~ (g(theta + h v) - g(theta - h v)) / 2h,   h = u^(1/3) max(1, max_i |theta_i|) / ||v||
 * </pre>
 *
 * with u the unit roundoff of the rule's precision and the max over the parameters of the
 * selection: the classical central-difference step h_i = u^(1/3) max(1, |theta_i|), which
 * balances the truncation error h^2 |g'''| / 6 against the rounding error ~ u |g| / h of the
 * update (both then ~ u^(2/3) relative), taken with the largest |theta_i| so that no coordinate
 * moves by less than its own rounding scale allows. In double precision (u = 2^-53) h ~ 4.8e-6
 * and c is good to ~1e-8; in single precision (u = 2^-24, h ~ 3.9e-3) to ~1e-3 at best.
 *
 * <p>Kinks (ReLU): g jumps where a pre-activation crosses 0 (f' steps from 0 to 1), so one
 * crossing between theta - h v and theta + h v adds an error ~ jump / 2h to G v, however small h
 * is; only a step that crosses no kink measures the a.e. derivative G (which for BPTT is the
 * Hessian H the product computes, f'' = 0). {@link #measure(DoubleParameters, DoubleBatch,
 * double[], SymmetricOperator)} therefore counts the crossings (forward passes at theta +- h v,
 * pre-activations whose sign differs, steps 1..T, every sample and unit) and divides h by
 * {@value #STEP_REDUCTION} while any remain and h stays at or above u^(1/2) max(1, max |theta|),
 * where the rounding error u |g| / h of the difference reaches u^(1/2). The result carries the
 * crossings left at the step used ({@link SeenCurvature#kinks}; 0 for smooth activations, which
 * are not checked); with any left, c is not the a.e. derivative and callers should discard it.
 *
 * <p>v'Hv comes from an exact product with the given Hessian operator, which must be prepared at
 * the same (theta, batch) over the same selection. Differences are formed in f64 from the two
 * updates. Workspace allocated once (a copy of the parameters, two update buffers, and for ReLU
 * one trajectory and a bit set of its signs); not thread-safe.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleSeenCurvature {

  /** The factor the step is divided by while kinks lie within it. */
  public static final int STEP_REDUCTION = 4;

  private final DoubleLearningRule rule;
  private final BlockSelection sel;
  private final DoubleWorkspace ws;
  private final double[] gPlus;
  private final double[] gMinus;
  private final double[] hv;
  private final DoubleNetwork network;      // null for smooth activations
  private final DoubleTrajectory trajectory; // null for smooth activations
  private final long[] signs;
  private DoubleParameters shifted;

  /** A probe of {@code rule} over {@code selection}; kink checks use this JVM's kernels. */
  public DoubleSeenCurvature(DoubleLearningRule rule, BlockSelection selection, int batchCapacity,
      int steps) {
    this(rule, selection, batchCapacity, steps, Kernels.f64());
  }

  /** A probe of {@code rule} over {@code selection} for batches up to the given sizes. */
  public DoubleSeenCurvature(DoubleLearningRule rule, BlockSelection selection, int batchCapacity,
      int steps, DoubleKernels kernels) {
    this.rule = rule;
    this.sel = selection;
    this.ws = rule.newWorkspace(batchCapacity, steps);
    this.gPlus = new double[selection.parameterCount()];
    this.gMinus = new double[selection.parameterCount()];
    this.hv = new double[selection.dimension()];
    boolean kinked = rule.config().activation() == Activation.RELU;
    this.network = kinked ? new DoubleNetwork(rule.config(), kernels) : null;
    this.trajectory = kinked ? new DoubleTrajectory(rule.config(), batchCapacity, steps) : null;
    this.signs = new long[kinked ? (steps * batchCapacity * rule.config().hidden() + 63) / 64 : 0];
  }

  /** The default step u^(1/3) max(1, max_i |theta_i|) over the selection, for a unit direction. */
  public double defaultStep(DoubleParameters p) {
    return Math.cbrt(Math.ulp(1.0d) / 2) * scale(p);
  }

  /** The smallest step the kink check goes down to: u^(1/2) max(1, max_i |theta_i|). */
  public double minimumStep(DoubleParameters p) {
    return Math.sqrt(Math.ulp(1.0d) / 2) * scale(p);
  }

  /**
   * c along v (any nonzero vector of the selection's coordinates) with the default step, divided
   * by {@link #STEP_REDUCTION} while kinks lie within it (down to {@link #minimumStep}).
   */
  public SeenCurvature measure(DoubleParameters p, DoubleBatch batch, double[] v,
      SymmetricOperator hessian) {
    double step = defaultStep(p);
    int kinks = kinks(p, batch, v, step);
    double floor = minimumStep(p);
    while (kinks > 0 && step / STEP_REDUCTION >= floor) {
      step /= STEP_REDUCTION;
      kinks = kinks(p, batch, v, step);
    }
    return measureAt(p, batch, v, hessian, step, kinks);
  }

  /**
   * c along v with an explicit step (no kink avoidance): the parameters move by +-step along
   * v / ||v||; the kinks crossed are counted.
   */
  public SeenCurvature measure(DoubleParameters p, DoubleBatch batch, double[] v,
      SymmetricOperator hessian, double step) {
    return measureAt(p, batch, v, hessian, step, kinks(p, batch, v, step));
  }

  private SeenCurvature measureAt(DoubleParameters p, DoubleBatch batch, double[] v,
      SymmetricOperator hessian, double step, int kinks) {
    if (hessian.dimension() != sel.dimension()) {
      throw new IllegalArgumentException("the operator must have " + sel.dimension()
          + " coordinates");
    }
    double h = unitStep(v, step);
    displace(p, v, h);
    rule.gradient(shifted, batch, ws, gPlus);
    displace(p, v, -h);
    rule.gradient(shifted, batch, ws, gMinus);
    double vgv = 0;
    double vv = 0;
    for (int i = 0; i < v.length; i++) {
      int f = sel.flatIndex(i);
      vgv += v[i] * ((double) gPlus[f] - (double) gMinus[f]);
      vv += v[i] * v[i];
    }
    vgv /= 2 * h;
    hessian.apply(v, hv);
    double vhv = 0;
    for (int i = 0; i < v.length; i++) {
      vhv += v[i] * hv[i];
    }
    return new SeenCurvature(vgv / vhv, vgv / vv, vhv / vv, step, kinks);
  }

  /**
   * Pre-activations (steps 1..T, every sample and unit) whose sign differs between theta + h v
   * and theta - h v, h = step / ||v||: the ReLU kinks a central difference with this step
   * crosses (0 for smooth activations).
   */
  public int kinks(DoubleParameters p, DoubleBatch batch, double[] v, double step) {
    if (network == null) {
      return 0;
    }
    double h = unitStep(v, step);
    int begin = batch.size() * rule.config().hidden();
    int count = batch.steps() * begin;
    displace(p, v, h);
    network.forward(shifted, batch, trajectory);
    double[] pre = trajectory.pre();
    Arrays.fill(signs, 0L);
    for (int i = 0; i < count; i++) {
      if (pre[begin + i] > 0d) {
        signs[i >>> 6] |= 1L << i;
      }
    }
    displace(p, v, -h);
    network.forward(shifted, batch, trajectory);
    int crossed = 0;
    for (int i = 0; i < count; i++) {
      boolean above = (signs[i >>> 6] & (1L << i)) != 0;
      if (above != (pre[begin + i] > 0d)) {
        crossed++;
      }
    }
    return crossed;
  }

  private double scale(DoubleParameters p) {
    double m = 1.0;
    for (int i = 0; i < sel.dimension(); i++) {
      m = Math.max(m, Math.abs(p.data()[sel.flatIndex(i)]));
    }
    return m;
  }

  /** step / ||v||, after checking v and the step. */
  private double unitStep(double[] v, double step) {
    if (v.length != sel.dimension()) {
      throw new IllegalArgumentException("the direction must have " + sel.dimension()
          + " coordinates");
    }
    double vv = 0;
    for (double x : v) {
      vv += x * x;
    }
    if (!(vv > 0) || !(step > 0)) {
      throw new IllegalArgumentException("need a nonzero direction and a positive step");
    }
    return step / Math.sqrt(vv);
  }

  /** shifted = p + h v over the selection (p elsewhere). */
  private void displace(DoubleParameters p, double[] v, double h) {
    if (shifted == null || shifted.data().length != p.data().length) {
      shifted = p.copy();
    } else {
      shifted.copyFrom(p);
    }
    double[] src = p.data();
    double[] dst = shifted.data();
    for (int i = 0; i < v.length; i++) {
      int f = sel.flatIndex(i);
      dst[f] = (double) (src[f] + h * v[i]);
    }
  }
}
