package org.tca.cli.figures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic study results for the figure tests (no training involved): four rules x five seeds
 * at eta = 0.01, lambda_max(t) rising towards a rule-specific plateau (BPTT below 2/eta, the bio
 * rules around or above it), exponentially decaying losses, one diverged run with non-finite
 * final numbers and one with finite ones; plus remedy runs at other settings. {@code main(DIR)}
 * writes every figure into DIR for a visual check.
 */
final class SampleRuns {

  static final String[] RULES = {"BPTT", "e-prop", "MDGL", "RFLO"};

  private SampleRuns() {}

  static RunSeries run(String rule, int seed, String setting, double lr, double plateau,
      double gapScale, boolean diverged, int divergeAt) {
    SplittableRandom rnd = new SplittableRandom(1000L * rule.hashCode() + seed);
    int n = 41;
    double[] it = new double[n];
    double[] train = new double[n];
    double[] test = new double[n];
    double[] lam = new double[n];
    double noise = 1 + 0.25 * (rnd.nextDouble() - 0.5);
    double gapNoise = 1 + 0.6 * (rnd.nextDouble() - 0.5);
    for (int i = 0; i < n; i++) {
      it[i] = 250.0 * i;
      double t = i / (n - 1.0);
      train[i] = 2.3 * Math.exp(-4 * t) + 0.05;
      test[i] = train[i] + gapScale * gapNoise * t;
      lam[i] = plateau * noise * (1 - Math.exp(-5 * t)) + 2;
      if (diverged && i >= divergeAt) {
        train[i] = Double.NaN;
        test[i] = Double.NaN;
        lam[i] = i == divergeAt ? Double.POSITIVE_INFINITY : Double.NaN;
      }
    }
    double gap = diverged ? Double.NaN : test[n - 1] - train[n - 1];
    double fl = diverged ? Double.NaN : lam[n - 1];
    return new RunSeries(rule, seed, setting, lr, diverged, it, train, test, lam, gap, fl);
  }

  /** The main study at eta = 0.01. */
  static List<RunSeries> study() {
    List<RunSeries> runs = new ArrayList<>();
    double[] plateau = {120, 320, 260, 480};
    double[] gap = {0.05, 0.16, 0.12, 0.22};
    for (int r = 0; r < RULES.length; r++) {
      for (int s = 0; s < 5; s++) {
        boolean div = r == 1 && s == 4;
        runs.add(run(RULES[r], s, null, 0.01, plateau[r], gap[r], div, 30));
      }
    }
    // A diverged run whose final numbers are still finite (drawn as a cross, not fitted).
    runs.set(19, new RunSeries("RFLO", 4, null, 0.01, true, new double[] {0, 5000, 10000},
        new double[] {2.3, 0.4, 0.3}, new double[] {2.3, 0.8, 0.9}, new double[] {2, 700, 1500},
        0.6, 1500));
    return runs;
  }

  /** The main study plus the bio rules at a larger rate and with a late boost. */
  static List<RunSeries> remedyStudy() {
    List<RunSeries> runs = new ArrayList<>(study());
    for (int r = 1; r < RULES.length; r++) {
      for (int s = 0; s < 5; s++) {
        runs.add(run(RULES[r], s, "η = 0.05", 0.05, 30, 0.06, false, 0));
        runs.add(run(RULES[r], s, "η = 0.01 + late boost", 0.01, 90, 0.08, false, 0));
      }
    }
    return runs;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/figs");
    StudyFigures.writeAll(remedyStudy(), dir).forEach(System.out::println);
  }
}
