package org.tca.study;

import java.util.List;

/**
 * The statistics of one task's runs.
 *
 * @param task the task id
 * @param runs its runs
 * @param usable those counted in means and fits ({@link RunRecord#usable})
 * @param matchedTrainLoss the train loss every usable run reached
 *     ({@link StudyClaims#matchedLevel})
 * @param correlation gap against lambda_max over the usable runs
 * @param claims the claims as this task's runs test them
 * @param underFit the rules that have not fitted the training set at the baseline setting
 *     ({@link UnderFit})
 * @param noFit at the baseline setting, no rule has fitted the training set ({@link NoFit}); null
 *     when one has
 */
public record TaskSummary(String task, int runs, long usable, double matchedTrainLoss,
    GapCorrelation correlation, List<Claim> claims, List<UnderFit> underFit, NoFit noFit) {

  /** Copies the lists. */
  public TaskSummary {
    claims = List.copyOf(claims);
    underFit = List.copyOf(underFit);
  }
}
