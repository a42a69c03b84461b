package org.tca.study;

import java.util.List;

/**
 * The statistics of one group of runs (task x learning-rate setting x rule): run counts by
 * status (diverged and stalled runs counted and listed, never averaged) and, over the usable
 * runs, the {@link MeanEstimate} of each final metric and of the gap and lambda_max at the
 * task's matched train loss, the runs ending above 2/eta, and the gap-lambda_max correlation.
 *
 * @param task the task id
 * @param rule the rule id
 * @param setting the setting id
 * @param settingLabel its label
 * @param lr its base rate eta
 * @param runs runs in the group
 * @param ok runs that finished ok
 * @param diverged runs that diverged
 * @param divergedRuns "ID at iteration I" of each
 * @param stalled runs that stalled
 * @param stalledRuns their ids
 * @param gap final L_test - L_train
 * @param accuracyGap final acc_train - acc_test
 * @param shiftedGap final L_shifted - L_train
 * @param lambdaMax final lambda_max
 * @param seenCurvature seen-curvature c
 * @param gradCosine final cosine to the true gradient
 * @param trainLambdaMax final lambda_max on the training batch (n = 0 unless measured)
 * @param matchedGap the gap at the matched train loss
 * @param matchedLambdaMax lambda_max at the matched train loss
 * @param aboveTwoOverEta usable runs ending with lambda_max &gt; 2/eta
 * @param correlation gap against lambda_max over the usable runs
 */
public record GroupSummary(String task, String rule, String setting, String settingLabel,
    double lr, int runs, long ok, long diverged, List<String> divergedRuns, long stalled,
    List<String> stalledRuns, MeanEstimate gap, MeanEstimate accuracyGap,
    MeanEstimate shiftedGap, MeanEstimate lambdaMax, MeanEstimate seenCurvature,
    MeanEstimate gradCosine, MeanEstimate trainLambdaMax, MeanEstimate matchedGap,
    MeanEstimate matchedLambdaMax,
    long aboveTwoOverEta, GapCorrelation correlation) {

  /** Copies the lists. */
  public GroupSummary {
    divergedRuns = List.copyOf(divergedRuns);
    stalledRuns = List.copyOf(stalledRuns);
  }

  /** The stability edge 2/eta of the base rate. */
  public double twoOverEta() {
    return 2 / lr;
  }
}
