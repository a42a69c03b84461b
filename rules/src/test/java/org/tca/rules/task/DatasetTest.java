package org.tca.rules.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tca.rules.task.TaskTestSupport.create;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Gathering minibatches: layout against direct indexing, both precisions, bounds, allocation. */
class DatasetTest {

  private static final int[] IDX = {5, 0, 7, 7, 2};

  private final Dataset xor = create("delayed-xor", "cue", "4", "delay", "3", "n-train", "9",
      "n-test", "3", "loss-steps", "2").train();
  private final Dataset pattern = create("pattern-generation", "steps", "6", "inputs", "5",
      "outputs", "2", "rate", "300", "n-train", "8", "n-test", "2").train();

  @Test
  void classificationGatherMatchesDirectIndexing() {
    int b = IDX.length - 1;
    int steps = xor.steps();
    float[] x = new float[steps * b * 2];
    double[] xd = new double[x.length];
    int[] labels = new int[b];
    int[] labelsD = new int[b];
    xor.gather(IDX, 1, b, x, labels, null);
    xor.gather(IDX, 1, b, xd, labelsD, null);
    for (int t = 0; t < steps; t++) {
      for (int j = 0; j < b; j++) {
        for (int i = 0; i < 2; i++) {
          float want = xor.input(IDX[1 + j], t, i);
          assertEquals(want, x[(t * b + j) * 2 + i]);
          assertEquals((double) want, xd[(t * b + j) * 2 + i]);
        }
      }
    }
    for (int j = 0; j < b; j++) {
      assertEquals(xor.label(IDX[1 + j]), labels[j]);
    }
    assertArrayEquals(labels, labelsD);
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, xor.lossMask());
  }

  @Test
  void regressionGatherMatchesDirectIndexingAndNullIndicesMeanARange() {
    int b = 3;
    float[] x = new float[6 * b * 5];
    float[] y = new float[6 * b * 2];
    double[] xd = new double[x.length];
    double[] yd = new double[y.length];
    pattern.gather(null, 4, b, x, null, y);
    pattern.gather(null, 4, b, xd, null, yd);
    for (int t = 0; t < 6; t++) {
      for (int j = 0; j < b; j++) {
        for (int i = 0; i < 5; i++) {
          assertEquals(pattern.input(4 + j, t, i), x[(t * b + j) * 5 + i]);
          assertEquals(x[(t * b + j) * 5 + i], xd[(t * b + j) * 5 + i]);
        }
        for (int k = 0; k < 2; k++) {
          assertEquals(pattern.target(4 + j, t, k), y[(t * b + j) * 2 + k]);
          assertEquals(y[(t * b + j) * 2 + k], yd[(t * b + j) * 2 + k]);
        }
      }
    }
  }

  @Test
  void customDatasetsFromArrays() {
    // 2 trials, T = 2, N_in = 3: data[(k * T + t) * 3 + i] = 100 k + 10 t + i
    float[] data = new float[12];
    for (int k = 0; k < 2; k++) {
      for (int t = 0; t < 2; t++) {
        for (int i = 0; i < 3; i++) {
          data[(k * 2 + t) * 3 + i] = 100 * k + 10 * t + i;
        }
      }
    }
    Dataset c = Dataset.ofClassification("train", 2, 3, 4, new float[] {0, 1}, data,
        new int[] {3, 1});
    float[] x = new float[12];
    int[] labels = new int[2];
    c.gather(new int[] {1, 0}, 0, 2, x, labels, null);
    // x[(t * B + b) * 3 + i]: t = 0 -> trial 1 then trial 0; t = 1 likewise
    assertArrayEquals(new float[] {100, 101, 102, 0, 1, 2, 110, 111, 112, 10, 11, 12}, x);
    assertArrayEquals(new int[] {1, 3}, labels);
    float[] targets = {1, 2, 3, 4, 5, 6, 7, 8}; // [k][t][j], T = 2, N_out = 2
    Dataset r = Dataset.ofRegression("test", 2, 3, 2, new float[] {1, 1}, data, targets);
    float[] y = new float[8];
    r.gather(new int[] {1, 0}, 0, 2, x, null, y);
    assertArrayEquals(new float[] {5, 6, 1, 2, 7, 8, 3, 4}, y);
    Task t = Task.of("custom", c, null, c);
    assertEquals(4, t.outputSize());
    assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofClassification("train", 2, 3, 4, new float[] {0, 0}, data, new int[2]));
    assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofClassification("train", 2, 3, 2, new float[] {0, 1}, data,
            new int[] {0, 2}));
  }

  @Test
  void rejectsBadIndicesAndSmallBuffers() {
    float[] x = new float[xor.steps() * 2 * 2];
    assertThrows(IndexOutOfBoundsException.class,
        () -> xor.gather(new int[] {0, 9}, 0, 2, x, null, null));
    assertThrows(IndexOutOfBoundsException.class, () -> xor.gather(null, 8, 2, x, null, null));
    assertThrows(IndexOutOfBoundsException.class,
        () -> xor.gather(null, 0, 3, x, null, null));
    assertThrows(IndexOutOfBoundsException.class,
        () -> xor.gather(null, 0, 2, x, new int[1], null));
    assertThrows(IllegalStateException.class, () -> pattern.label(0));
    assertThrows(IllegalStateException.class, () -> xor.target(0, 0, 0));
  }

  @Test
  void gatherAllocatesNothing() {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
        || !mx.isThreadAllocatedMemorySupported()) {
      return;
    }
    float[] x = new float[xor.steps() * 4 * 2];
    double[] xd = new double[x.length];
    int[] labels = new int[4];
    float[] px = new float[6 * 4 * 5];
    float[] py = new float[6 * 4 * 2];
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long before = mx.getCurrentThreadAllocatedBytes();
      for (int k = 0; k < 500; k++) {
        xor.gather(IDX, 0, 4, x, labels, null);
        xor.gather(IDX, 1, 4, xd, labels, null);
        pattern.gather(IDX, 0, 4, px, null, py);
      }
      least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - before);
    }
    assertEquals(0, least, "bytes allocated per 1500 gathers");
  }
}
