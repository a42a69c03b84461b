package org.tca.rules.model;

/**
 * Copies parameters and batches between f32 and f64 (widening is exact; narrowing rounds to
 * nearest). Used to check f32 results against f64 oracles on the same weights and data.
 */
public final class PrecisionConversion {

  private PrecisionConversion() {}

  /** The f64 copy of f32 parameters (same structure and frozen flags). */
  public static DoubleParameters widen(FloatParameters p) {
    DoubleParameters d = new DoubleParameters(p.config(), p.structure());
    float[] src = p.data();
    double[] dst = d.data();
    for (int i = 0; i < src.length; i++) {
      dst[i] = src[i];
    }
    for (Block b : Block.values()) {
      d.freeze(b, p.isFrozen(b));
    }
    return d;
  }

  /** The f32 copy (rounded) of f64 parameters. */
  public static FloatParameters narrow(DoubleParameters p) {
    FloatParameters f = new FloatParameters(p.config(), p.structure());
    double[] src = p.data();
    float[] dst = f.data();
    for (int i = 0; i < src.length; i++) {
      dst[i] = (float) src[i];
    }
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

  private static void copy(float[] src, double[] dst) {
    for (int i = 0; i < src.length; i++) {
      dst[i] = src[i];
    }
  }
}
