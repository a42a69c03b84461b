package org.tca.rules.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.rules.task.TaskTestSupport.params;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.numerics.io.MalformedFileException;

/** Row-wise sequential MNIST: loading, splits, the noise shift, error messages. */
class SequentialMnistTest {

  @TempDir
  Path dir;

  private Task load(String... kv) throws IOException {
    String[] all = new String[kv.length + 2];
    all[0] = "data";
    all[1] = dir.toString();
    System.arraycopy(kv, 0, all, 2, kv.length);
    return Tasks.create("smnist", params(all));
  }

  @Test
  void loadsRowsAsStepsWithPixelsOver255() throws IOException {
    TaskTestSupport.writeMnist(dir, 24, 7);
    Task task = load();
    assertEquals(28, task.steps());
    assertEquals(28, task.inputSize());
    assertEquals(10, task.outputSize());
    float[] mask = new float[28];
    mask[27] = 1f;
    assertArrayEquals(mask, task.lossMask());
    // 24 records: round(24 / 12) = 2 for validation (the last two), 22 for training
    Dataset train = task.train();
    Dataset val = task.validation().orElseThrow();
    assertEquals(22, train.size());
    assertEquals(2, val.size());
    assertEquals(7, task.test().size());
    for (int r = 0; r < 28; r++) {
      for (int c = 0; c < 28; c++) {
        assertEquals(TaskTestSupport.pixel(5, r, c) / 255f, train.input(5, r, c));
        assertEquals(TaskTestSupport.pixel(23, r, c) / 255f, val.input(1, r, c));
        assertEquals(TaskTestSupport.pixel(6, r, c) / 255f, task.test().input(6, r, c));
      }
    }
    assertEquals(5, train.label(5));
    assertEquals(3, val.label(1));
    double[] x = new double[28 * 2 * 28];
    int[] labels = new int[2];
    train.gather(new int[] {3, 21}, 0, 2, x, labels, null);
    assertEquals(TaskTestSupport.pixel(21, 4, 9) / 255.0, x[(4 * 2 + 1) * 28 + 9]);
    assertArrayEquals(new int[] {3, 1}, labels);
  }

  @Test
  void nTrainAndNTestKeepTheFirstRecords() throws IOException {
    TaskTestSupport.writeMnist(dir, 24, 7);
    Task task = load("n-train", "10", "n-test", "all");
    assertEquals(10, task.train().size());
    assertEquals(2, task.validation().orElseThrow().size());
    assertEquals(TaskTestSupport.pixel(22, 0, 0) / 255f,
        task.validation().orElseThrow().input(0, 0, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> load("n-train", "23"));
    assertTrue(e.getMessage().contains("'n-train'") && e.getMessage().contains("22"),
        e.getMessage());
  }

  @Test
  void lossStepsPutTheLossOnTheLastRows() throws IOException {
    TaskTestSupport.writeMnist(dir, 24, 7);
    float[] mask = new float[28];
    java.util.Arrays.fill(mask, 25, 28, 1f);
    assertArrayEquals(mask, load("loss-steps", "3").lossMask());
    assertArrayEquals(mask, load("loss-steps", "3").test().lossMask());
    for (String bad : new String[] {"0", "29"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> load("loss-steps", bad));
      assertTrue(e.getMessage().contains("loss-steps"), e.getMessage());
    }
  }

  @Test
  void drawsPickDistinctTrainingRecordsBySeed() throws IOException {
    TaskTestSupport.writeMnist(dir, 24, 7); // 22 training records, 2 validation
    Task first = load("n-train", "5");
    Task d1 = load("n-train", "5", "draw", "1");
    int[] order = new org.tca.numerics.random.RandomStream(1).permutation(22);
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int j = 0; j < 5; j++) {
      assertTrue(order[j] < 22 && seen.add(order[j]), "record " + order[j]);
      assertEquals(order[j] % 10, d1.train().label(j));
      assertEquals(TaskTestSupport.pixel(order[j], 7, 11) / 255f, d1.train().input(j, 7, 11));
      assertEquals(TaskTestSupport.pixel(j, 7, 11) / 255f, first.train().input(j, 7, 11));
    }
    assertEquals(5, d1.train().size());
    assertEquals(2, d1.validation().orElseThrow().size());
    Task again = load("n-train", "5", "draw", "1");
    Task d2 = load("n-train", "5", "draw", "2");
    boolean differs = false;
    for (int j = 0; j < 5; j++) {
      assertEquals(d1.train().label(j), again.train().label(j));
      assertEquals(d1.train().input(j, 3, 3), again.train().input(j, 3, 3));
      differs |= d1.train().input(j, 3, 3) != d2.train().input(j, 3, 3);
    }
    assertTrue(differs, "draws 1 and 2 gave the same training set");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> load("draw", "-1"));
    assertTrue(e.getMessage().contains("draw"), e.getMessage());
  }

  @Test
  void noiseShiftIsClippedDeterministicAndSeeded() throws IOException {
    TaskTestSupport.writeMnist(dir, 12, 20);
    Task task = load("noise", "0.1");
    assertTrue(task.hasShiftedTest());
    Dataset clean = task.test();
    Dataset noisy = task.shiftedTest().orElseThrow();
    assertEquals(20, noisy.size());
    assertArrayEquals(clean.labels(), noisy.labels());
    int changed = 0;
    int clipped = 0;
    double sumDiff = 0;
    double sumSq = 0;
    int interior = 0;
    for (int k = 0; k < 20; k++) {
      for (int r = 0; r < 28; r++) {
        for (int c = 0; c < 28; c++) {
          float v = noisy.input(k, r, c);
          float p = clean.input(k, r, c);
          assertTrue(v >= 0f && v <= 1f, "value " + v);
          changed += v != p ? 1 : 0;
          clipped += v == 0f || v == 1f ? 1 : 0;
          if (p > 0.4f && p < 0.6f) {
            double d = v - p;
            sumDiff += d;
            sumSq += d * d;
            interior++;
          }
        }
      }
    }
    assertTrue(changed > 20 * 784 * 0.99, "changed " + changed);
    assertTrue(clipped > 0);
    // 4 sigma from the bounds clipping is rare (6e-5): the noise there is ~ N(0, 0.1^2); the
    // sample standard deviation has standard error 0.1 / sqrt(2 m)
    assertEquals(0, sumDiff / interior, 5 * 0.1 / Math.sqrt(interior));
    assertEquals(0.1, Math.sqrt(sumSq / interior), 5 * 0.1 / Math.sqrt(2.0 * interior));
    Dataset again = load("noise", "0.1").shiftedTest().orElseThrow();
    Dataset other = load("noise", "0.1", "seed", "1").shiftedTest().orElseThrow();
    assertEquals(noisy.input(3, 10, 10), again.input(3, 10, 10));
    int same = 0;
    for (int c = 0; c < 28; c++) {
      same += noisy.input(3, 14, c) == other.input(3, 14, c) ? 1 : 0;
    }
    assertTrue(same < 28);
    assertFalse(load("noise", "0").hasShiftedTest());
  }

  /** The repository's subset, against values computed with Python's gzip when it was added. */
  @Test
  void readsTheRepositorysSubset() throws IOException {
    Task task = Tasks.create("smnist", params("data", MnistSubset.dir().toString(), "noise", "0"));
    // 7,996 records: round(7996 / 12) = 666 validation (the last ones), 7,330 train; 2,004 test
    assertEquals(7330, task.train().size());
    assertEquals(666, task.validation().orElseThrow().size());
    Dataset test = task.test();
    assertEquals(2004, test.size());
    assertArrayEquals(new int[] {0, 2, 5, 2, 4, 1, 6, 2, 2, 1},
        java.util.Arrays.copyOf(task.train().labels(), 10));
    assertEquals(9, task.validation().orElseThrow().label(665));
    assertArrayEquals(new int[] {6, 4, 0, 4, 6, 6, 0, 2, 8, 8},
        java.util.Arrays.copyOf(test.labels(), 10));
    assertEquals(1, test.label(2003));
    int[] counts = new int[10];
    for (int label : test.labels()) {
      counts[label]++;
    }
    assertArrayEquals(new int[] {201, 226, 199, 207, 196, 173, 203, 214, 189, 196}, counts);
    assertEquals(253 / 255f, test.input(0, 14, 14));
    assertEquals(15 / 255f, test.input(1, 10, 10));
    long sum0 = 0;
    long sumAll = 0;
    for (int k = 0; k < test.size(); k++) {
      for (int r = 0; r < 28; r++) {
        for (int c = 0; c < 28; c++) {
          long p = Math.round(test.input(k, r, c) * 255.0);
          sumAll += p;
          sum0 += k == 0 ? p : 0;
        }
      }
    }
    assertEquals(40002, sum0);
    assertEquals(52921283, sumAll);
  }

  @Test
  void missingDirectoryOrFilesSayWhatAndHow() throws IOException {
    Path nowhere = dir.resolve("nowhere");
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> Tasks.create("smnist", params("data", nowhere.toString())));
    assertTrue(e.getMessage().contains("nowhere") && e.getMessage().contains("MNIST")
        && e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    TaskTestSupport.writeMnist(dir, 12, 5);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
    e = assertThrows(FileNotFoundException.class, this::load);
    assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte[.gz]")
        && e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
    IllegalArgumentException noData = assertThrows(IllegalArgumentException.class,
        () -> Tasks.create("smnist", params()));
    assertTrue(noData.getMessage().contains("'data'"), noData.getMessage());
  }

  @Test
  void corruptFilesAreNamed() throws IOException {
    TaskTestSupport.writeMnist(dir, 12, 5);
    Path labels = dir.resolve("t10k-labels-idx1-ubyte");
    Files.write(labels, new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2}); // truncated: 2 of 5 labels
    MalformedFileException e = assertThrows(MalformedFileException.class, this::load);
    assertEquals(labels, e.file());
    assertTrue(e.getMessage().contains("MNIST"), e.getMessage());
    Files.write(labels, new byte[] {0, 0, 8, 1, 0, 0, 0, 4, 1, 2, 3, 4}); // 4 labels, 5 images
    e = assertThrows(MalformedFileException.class, this::load);
    assertTrue(e.getMessage().contains("4 labels"), e.getMessage());
    Files.write(labels, new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3, 4, 10}); // label 10
    e = assertThrows(MalformedFileException.class, this::load);
    assertTrue(e.getMessage().contains("label 4 is 10"), e.getMessage());
    Path images = dir.resolve("train-images-idx3-ubyte.gz");
    Files.write(images, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    e = assertThrows(MalformedFileException.class, this::load);
    assertEquals(images, e.file());
  }
}
