package org.tca.cli.figures;

import java.util.Objects;

/**
 * The checkpoint curves a spiking run adds to its {@link RunSeries} (a spiking network has no
 * curvature, so its figures draw these instead of lambda_max): classification accuracy on the
 * evaluated train and test trials, the mean firing rate in Hz (spikes per step and unit x 1000,
 * dt = 1 ms) on the same trials, and cos(g, grad L_BPTT), the cosine of the rule's update with
 * the spiking BPTT gradient on the alignment batch. One value per checkpoint of the run; NaN
 * where not measured.
 *
 * @param trainAccuracy train accuracy at each checkpoint
 * @param testAccuracy test accuracy at each checkpoint
 * @param trainFiringRate train firing rate in Hz at each checkpoint
 * @param testFiringRate test firing rate in Hz at each checkpoint
 * @param gradCosine cosine with the spiking BPTT gradient at each checkpoint
 */
public record SpikingCurves(double[] trainAccuracy, double[] testAccuracy,
    double[] trainFiringRate, double[] testFiringRate, double[] gradCosine) {

  /** Copies the arrays, which must have one length. */
  public SpikingCurves {
    int n = Objects.requireNonNull(trainAccuracy, "trainAccuracy").length;
    for (double[] a : new double[][] {testAccuracy, trainFiringRate, testFiringRate, gradCosine}) {
      if (Objects.requireNonNull(a, "curve").length != n) {
        throw new IllegalArgumentException("spiking curves differ in length");
      }
    }
    trainAccuracy = trainAccuracy.clone();
    testAccuracy = testAccuracy.clone();
    trainFiringRate = trainFiringRate.clone();
    testFiringRate = testFiringRate.clone();
    gradCosine = gradCosine.clone();
  }

  /** The number of checkpoints. */
  int length() {
    return trainAccuracy.length;
  }

  /** A copy of the train accuracies. */
  @Override
  public double[] trainAccuracy() {
    return trainAccuracy.clone();
  }

  /** A copy of the test accuracies. */
  @Override
  public double[] testAccuracy() {
    return testAccuracy.clone();
  }

  /** A copy of the train firing rates (Hz). */
  @Override
  public double[] trainFiringRate() {
    return trainFiringRate.clone();
  }

  /** A copy of the test firing rates (Hz). */
  @Override
  public double[] testFiringRate() {
    return testFiringRate.clone();
  }

  /** A copy of the cosines with the spiking BPTT gradient. */
  @Override
  public double[] gradCosine() {
    return gradCosine.clone();
  }
}
