package org.tca.rules.model;

/**
 * The one place values cross between f32 and f64: parameters, batches and arrays (widening is
 * exact; narrowing rounds to nearest). Used to check f32 results against f64 oracles on the same
 * weights and data, to measure f64 quantities at an f32 point, and to write either precision.
 */
public final class PrecisionConversion {

  private PrecisionConversion() {}

  /** The f64 copy of f32 parameters (same structure and frozen flags). */
  public static DoubleParameters widen(FloatParameters p) {
    DoubleParameters d = new DoubleParameters(p.config(), p.structure());
    widen(p, d);
    return d;
  }

  /** into = p, exactly (values and frozen flags); same config and structure. */
  public static void widen(FloatParameters p, DoubleParameters into) {
    copy(p.data(), into.data());
    for (Block b : Block.values()) {
      into.freeze(b, p.isFrozen(b));
    }
  }

  /** The f32 copy (rounded) of f64 parameters (same structure and frozen flags). */
  public static FloatParameters narrow(DoubleParameters p) {
    FloatParameters f = new FloatParameters(p.config(), p.structure());
    copy(p.data(), f.data());
    for (Block b : Block.values()) {
      f.freeze(b, p.isFrozen(b));
    }
    return f;
  }

  /** The f64 copy of an f32 batch. */
  public static DoubleBatch widen(FloatBatch b) {
    DoubleBatch d = b.classification()
        ? DoubleBatch.classification(b.steps(), b.size(), b.inputs(), b.outputs(), b.labelsPerStep())
        : DoubleBatch.regression(b.steps(), b.size(), b.inputs(), b.outputs());
    copy(b.x(), d.x());
    if (b.classification()) {
      System.arraycopy(b.labels(), 0, d.labels(), 0, b.labels().length);
    } else {
      copy(b.targets(), d.targets());
    }
    copy(b.lossMask(), d.lossMask());
    return d;
  }

  /** The f32 copy (rounded) of an f64 batch. */
  public static FloatBatch narrow(DoubleBatch d) {
    FloatBatch f = d.classification()
        ? FloatBatch.classification(d.steps(), d.size(), d.inputs(), d.outputs(), d.labelsPerStep())
        : FloatBatch.regression(d.steps(), d.size(), d.inputs(), d.outputs());
    copy(d.x(), f.x());
    if (d.classification()) {
      System.arraycopy(d.labels(), 0, f.labels(), 0, d.labels().length);
    } else {
      copy(d.targets(), f.targets());
    }
    copy(d.lossMask(), f.lossMask());
    return f;
  }

  /** The f32 copy (rounded) of an array. */
  public static float[] narrow(double[] a) {
    float[] f = new float[a.length];
    copy(a, f);
    return f;
  }

  private static void copy(float[] src, double[] dst) {
    for (int i = 0; i < src.length; i++) {
      dst[i] = src[i];
    }
  }

  private static void copy(double[] src, float[] dst) {
    for (int i = 0; i < src.length; i++) {
      dst[i] = (float) src[i];
    }
  }
}
