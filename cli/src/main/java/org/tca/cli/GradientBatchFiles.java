package org.tca.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tca.numerics.io.MalformedFileException;
import org.tca.numerics.io.Npy;
import org.tca.numerics.io.NpyArray;
import org.tca.numerics.io.NpyDtype;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.PrecisionConversion;

/**
 * The batch part of a {@link GradientDirectory}: {@code x.npy} [B, T, N_in] (batch-major on disk;
 * the engine holds batches time-major, [T][B][N_in]), {@code target.npy} (int32 labels [B], or
 * [B, T] with one label per step, for cross-entropy; [B, T, N_out] targets for MSE) and
 * {@code loss_mask.npy} [T].
 */
final class GradientBatchFiles {

  private GradientBatchFiles() {}

  /** Writes the batch into {@code dir} (float32 or float64 values). */
  static void write(Path dir, DoubleBatch b, boolean f64) throws IOException {
    Files.createDirectories(dir);
    int steps = b.steps();
    int size = b.size();
    int nIn = b.inputs();
    Npy.write(dir.resolve("x.npy"), array(toBatchMajor(b.x(), steps, size, nIn), f64,
        size, steps, nIn));
    if (b.classification()) {
      if (b.labelsPerStep()) {
        int[] l = new int[size * steps];
        for (int t = 0; t < steps; t++) {
          for (int s = 0; s < size; s++) {
            l[s * steps + t] = b.labels()[t * size + s];
          }
        }
        Npy.write(dir.resolve("target.npy"), l, size, steps);
      } else {
        Npy.write(dir.resolve("target.npy"), b.labels().clone(), size);
      }
    } else {
      int nOut = b.outputs();
      Npy.write(dir.resolve("target.npy"), array(toBatchMajor(b.targets(), steps, size, nOut),
          f64, size, steps, nOut));
    }
    Npy.write(dir.resolve("loss_mask.npy"), array(b.lossMask().clone(), f64, steps));
  }

  private static NpyArray array(double[] d, boolean f64, int... shape) {
    if (f64) {
      return NpyArray.of(d, shape);
    }
    return NpyArray.of(PrecisionConversion.narrow(d), shape);
  }

  /** [T][B][k] -> [B][T][k]. */
  static double[] toBatchMajor(double[] timeMajor, int steps, int size, int k) {
    double[] out = new double[steps * size * k];
    for (int t = 0; t < steps; t++) {
      for (int s = 0; s < size; s++) {
        System.arraycopy(timeMajor, (t * size + s) * k, out, (s * steps + t) * k, k);
      }
    }
    return out;
  }

  /** Reads the batch of a model from {@code dir}. */
  static DoubleBatch read(Path dir, ModelConfig c) throws IOException {
    Path xFile = dir.resolve("x.npy");
    NpyArray x = read(xFile);
    if (x.rank() != 3 || x.dim(2) != c.inputs() || x.dim(0) < 1 || x.dim(1) < 1) {
      throw new MalformedFileException(xFile, "shape " + java.util.Arrays.toString(x.shape())
          + ", expected [B, T, " + c.inputs() + "]");
    }
    int size = (int) x.dim(0);
    int steps = (int) x.dim(1);
    Path tFile = dir.resolve("target.npy");
    NpyArray target = read(tFile);
    DoubleBatch b;
    if (c.loss() == LossKind.CROSS_ENTROPY) {
      boolean perStep = target.rank() == 2;
      int[] want = perStep ? new int[] {size, steps} : new int[] {size};
      checkShape(tFile, target, want);
      if (target.dtype() == NpyDtype.FLOAT32 || target.dtype() == NpyDtype.FLOAT64) {
        throw new MalformedFileException(tFile, "labels must be integers, got " + target.dtype());
      }
      b = DoubleBatch.classification(steps, size, c.inputs(), c.outputs(), perStep);
      for (int s = 0; s < size; s++) {
        for (int t = 0; t < (perStep ? steps : 1); t++) {
          int label = (int) target.getAsDouble(perStep ? s * steps + t : s);
          if (label < 0 || label >= c.outputs()) {
            throw new MalformedFileException(tFile, "label " + label + " outside [0, "
                + c.outputs() + ")");
          }
          b.labels()[perStep ? t * size + s : s] = label;
        }
      }
    } else {
      checkShape(tFile, target, size, steps, c.outputs());
      b = DoubleBatch.regression(steps, size, c.inputs(), c.outputs());
      fromBatchMajor(target, b.targets(), steps, size, c.outputs());
    }
    fromBatchMajor(x, b.x(), steps, size, c.inputs());
    Path mFile = dir.resolve("loss_mask.npy");
    NpyArray mask = read(mFile);
    checkShape(mFile, mask, steps);
    for (int t = 0; t < steps; t++) {
      b.lossMask()[t] = mask.getAsDouble(t);
    }
    return b;
  }

  /** Reads an input array of the batch: it must exist and hold finite numbers only. */
  private static NpyArray read(Path file) throws IOException {
    return GradientDirectory.requireFinite(file, GradientDirectory.readArray(file));
  }

  private static void checkShape(Path file, NpyArray a, int... shape) throws IOException {
    if (!java.util.Arrays.equals(a.intShape(), shape)) {
      throw new MalformedFileException(file, "shape " + java.util.Arrays.toString(a.intShape())
          + ", expected " + java.util.Arrays.toString(shape));
    }
  }

  private static void fromBatchMajor(NpyArray a, double[] dst, int steps, int size, int k) {
    for (int s = 0; s < size; s++) {
      for (int t = 0; t < steps; t++) {
        for (int i = 0; i < k; i++) {
          dst[(t * size + s) * k + i] = a.getAsDouble((s * steps + t) * k + i);
        }
      }
    }
  }
}
