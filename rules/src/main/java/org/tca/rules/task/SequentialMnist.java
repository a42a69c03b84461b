package org.tca.rules.task;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tca.numerics.io.Idx;
import org.tca.numerics.io.MalformedFileException;
import org.tca.numerics.io.NpyArray;
import org.tca.numerics.random.RandomStream;

/**
 * Row-wise sequential MNIST: a 28 x 28 image is shown one row per step, x_t[i] = pixel(t, i) /
 * 255, so N_in = 28, T = 28, 10 classes, loss at the last step. Data: the four standard IDX
 * files in a directory (each raw or gzipped: {@code train-images-idx3-ubyte[.gz]},
 * {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-images-idx3-ubyte[.gz]},
 * {@code t10k-labels-idx1-ubyte[.gz]}).
 *
 * <p>Splits (deterministic, no randomness): of the N training-file records, the last
 * {@code round(N / 12)} are the validation set and the first {@code N - round(N / 12)} the
 * training set (55,000 / 5,000 for full MNIST, the same 11:1 proportion for smaller files);
 * the t10k file is the test set. n-train / n-test keep only the first that many records.
 * Pixels stay bytes in memory (one byte per pixel, shared by the splits).
 *
 * <p>Training-set draws: {@code draw} = 0 (default) keeps the first n-train records; d &gt; 0
 * keeps n-train records drawn without replacement from the whole training part, the first
 * n-train entries of {@code new RandomStream(d).permutation(available)} in that order, so a
 * study can repeat a claim over several training sets of one size.
 *
 * <p>Loss: at the last {@code loss-steps} rows (default 1, the released configuration), each
 * weighted equally (J averages the per-step losses over those rows).
 *
 * <p>Shifted test: the test images with Gaussian pixel noise, x = clip(p / 255 + sigma z, 0, 1),
 * z ~ N(0, 1) (sigma = 0.2 by default), drawn from {@code new RandomStream(seed).child(3)},
 * child j for image j.
 */
final class SequentialMnist {

  static final String NAME = "smnist";
  static final int SIDE = 28;
  static final int CLASSES = 10;

  static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
      "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

  static final String HOW_TO_GET = "Get the four MNIST files (train-images-idx3-ubyte.gz,"
      + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) from"
      + " https://yann.lecun.com/exdb/mnist/ or a mirror such as"
      + " https://ossci-datasets.s3.amazonaws.com/mnist/ into that directory (gzipped or not),"
      + " or point --data at the repository's small subset (data/mnist-subset).";

  static final List<ParameterSpec> SPECS = List.of(
      new ParameterSpec("data", "none", "directory holding the four MNIST IDX files"),
      new ParameterSpec("seed", "0", "seed of the shifted test set's pixel noise"),
      new ParameterSpec("n-train", "all", "keep the first this many training images"),
      new ParameterSpec("n-test", "all", "keep the first this many test images"),
      new ParameterSpec("noise", "0.2", "pixel-noise sigma of the shifted test set (0: none)"),
      new ParameterSpec("draw", "0", "training-set draw: 0 = the first n-train images, d > 0 ="
          + " n-train images drawn with seed d"),
      new ParameterSpec("loss-steps", "1", "loss on the last this many rows (1-28)"));

  private SequentialMnist() {}

  static Task create(TaskParameters p) throws IOException {
    if (p.isNone("data")) {
      throw p.error("data", "is required: the directory holding the MNIST IDX files. "
          + HOW_TO_GET);
    }
    Path dir = Path.of(p.string("data"));
    if (!Files.isDirectory(dir)) {
      throw new FileNotFoundException("MNIST data directory " + dir.toAbsolutePath()
          + " does not exist or is not a directory. " + HOW_TO_GET);
    }
    Part train = read(dir, FILES[0], FILES[1]);
    Part t10k = read(dir, FILES[2], FILES[3]);
    int nVal = (int) Math.round(train.count / 12.0);
    int available = train.count - nVal;
    int nTrain = p.countOrAll("n-train", 1, available);
    int nTest = p.countOrAll("n-test", 1, t10k.count);
    long seed = p.longInteger("seed");
    double sigma = p.real("noise", 0, 1e6);
    long draw = p.longInteger("draw");
    if (draw < 0) {
      throw p.error("draw", "must be >= 0, got " + draw);
    }
    int lossSteps = p.integer("loss-steps", 1, SIDE);
    float[] mask = Synthetic.lastSteps(SIDE, lossSteps);
    Dataset trainSet = draw == 0 ? dataset("train", train, 0, nTrain, mask)
        : drawn(train, new RandomStream(draw).permutation(available), nTrain, mask);
    Dataset valSet = nVal == 0 ? null : dataset("validation", train, available, nVal, mask);
    Dataset testSet = dataset("test", t10k, 0, nTest, mask);
    String desc = "row-wise sequential MNIST from " + dir + ": 28 rows of 28 pixels/255, 10"
        + " classes, loss at the last " + (lossSteps == 1 ? "step" : lossSteps + " steps")
        + (draw == 0 ? "" : ", training set draw " + draw);
    if (sigma == 0) {
      return new Task(NAME, p, desc, trainSet, valSet, testSet, null, null);
    }
    return new Task(NAME, p, desc, trainSet, valSet, testSet,
        () -> noisy(t10k, nTest, sigma, Synthetic.stream(seed, Synthetic.SHIFTED), mask),
        "test images with Gaussian pixel noise sigma=" + sigma + ", clipped to [0, 1]");
  }

  /** The pixels and labels of one IDX file pair. */
  private record Part(byte[] pixels, int[] labels, int count) {}

  private static Part read(Path dir, String imagesName, String labelsName) throws IOException {
    Path imagesFile = locate(dir, imagesName);
    Path labelsFile = locate(dir, labelsName);
    NpyArray images = readIdx(imagesFile, true);
    NpyArray labels = readIdx(labelsFile, false);
    long[] s = images.shape();
    if (s[1] != SIDE || s[2] != SIDE) {
      throw new MalformedFileException(imagesFile, "images are " + s[1] + " x " + s[2]
          + ", expected 28 x 28. " + HOW_TO_GET);
    }
    if (labels.dim(0) != s[0]) {
      throw new MalformedFileException(labelsFile, "holds " + labels.dim(0) + " labels but "
          + imagesFile.getFileName() + " holds " + s[0] + " images. " + HOW_TO_GET);
    }
    byte[] raw = labels.bytes();
    int[] lab = new int[raw.length];
    for (int k = 0; k < raw.length; k++) {
      lab[k] = raw[k] & 0xFF;
      if (lab[k] >= CLASSES) {
        throw new MalformedFileException(labelsFile, "label " + k + " is " + lab[k]
            + ", expected 0-9. " + HOW_TO_GET);
      }
    }
    return new Part(images.bytes(), lab, raw.length);
  }

  private static NpyArray readIdx(Path file, boolean images) throws IOException {
    try {
      return images ? Idx.readImages(file) : Idx.readLabels(file);
    } catch (MalformedFileException e) {
      throw new MalformedFileException(file, e.problem() + ". Is this an MNIST file? "
          + HOW_TO_GET, e);
    }
  }

  /** {@code dir/name}, else {@code dir/name.gz}. */
  static Path locate(Path dir, String name) throws FileNotFoundException {
    Path plain = dir.resolve(name);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    throw new FileNotFoundException("MNIST file " + name + "[.gz] not found in "
        + dir.toAbsolutePath() + ". " + HOW_TO_GET);
  }

  private static Dataset dataset(String split, Part part, int first, int n, float[] mask) {
    int[] labels = java.util.Arrays.copyOfRange(part.labels, first, first + n);
    return Dataset.classification(split, SIDE, SIDE, CLASSES, mask,
        new ByteStore(part.pixels, first, n, SIDE, SIDE, 255), labels);
  }

  /** The training records order[0 .. n) (a draw), copied into a store of their own. */
  private static Dataset drawn(Part part, int[] order, int n, float[] mask) {
    int per = SIDE * SIDE;
    byte[] pixels = new byte[n * per];
    int[] labels = new int[n];
    for (int j = 0; j < n; j++) {
      System.arraycopy(part.pixels, order[j] * per, pixels, j * per, per);
      labels[j] = part.labels[order[j]];
    }
    return Dataset.classification("train", SIDE, SIDE, CLASSES, mask,
        new ByteStore(pixels, 0, n, SIDE, SIDE, 255), labels);
  }

  /** The first n test images with clipped Gaussian pixel noise, as f32. */
  private static Dataset noisy(Part part, int n, double sigma, RandomStream stream,
      float[] mask) {
    int per = SIDE * SIDE;
    float[] data = new float[n * per];
    RandomStream r = new RandomStream(0);
    for (int j = 0; j < n; j++) {
      r.setToChild(stream, j);
      for (int e = 0; e < per; e++) {
        double v = (part.pixels[j * per + e] & 0xFF) / 255.0 + sigma * r.nextGaussian();
        data[j * per + e] = (float) Math.min(1.0, Math.max(0.0, v));
      }
    }
    return Dataset.classification("shifted-test", SIDE, SIDE, CLASSES, mask,
        new DenseStore(data, n, SIDE, SIDE),
        java.util.Arrays.copyOf(part.labels, n));
  }
}
