package org.tca.jmh;

import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.FloatBatch;

/** Seeded benchmark inputs. */
final class BenchData {

  private BenchData() {}

  /**
   * Fills a classification batch from {@code new RandomStream(seed)}: every input uniform in
   * [0, 1), then every label uniform over the batch's classes; returns the batch.
   */
  static FloatBatch fill(FloatBatch b, long seed) {
    RandomStream r = new RandomStream(seed);
    float[] x = b.x();
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    int[] labels = b.labels();
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.nextInt(b.outputs());
    }
    return b;
  }
}
