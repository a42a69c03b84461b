package org.tca.study;

import java.util.List;
import org.tca.numerics.stats.Correlation;
import org.tca.numerics.stats.CorrelationResult;

/**
 * The correlation of the generalization gap with lambda_max over n runs: Pearson r and Spearman
 * rho with their two-sided p-values (NaN with fewer than 3 runs).
 *
 * @param n the runs
 * @param pearsonR Pearson r
 * @param pearsonP its p-value
 * @param spearmanR Spearman rho
 * @param spearmanP its p-value
 * @param pooledWithinTasks whether gap and lambda_max were standardised within each task first
 *     ({@link StudySummary})
 */
public record GapCorrelation(int n, double pearsonR, double pearsonP, double spearmanR,
    double spearmanP, boolean pooledWithinTasks) {

  /** Over the usable runs {@code use}. */
  static GapCorrelation of(List<RunRecord> use) {
    return of(use.stream().mapToDouble(RunRecord::lambdaMax).toArray(),
        use.stream().mapToDouble(RunRecord::gap).toArray(), false);
  }

  /** Of {@code gap} against {@code lambdaMax}. */
  static GapCorrelation of(double[] lambdaMax, double[] gap, boolean pooled) {
    int n = gap.length;
    CorrelationResult p = n < 3 ? null : Correlation.pearson(lambdaMax, gap);
    CorrelationResult s = n < 3 ? null : Correlation.spearman(lambdaMax, gap);
    return new GapCorrelation(n, p == null ? Double.NaN : p.r(), p == null ? Double.NaN : p.p(),
        s == null ? Double.NaN : s.r(), s == null ? Double.NaN : s.p(), pooled);
  }
}
