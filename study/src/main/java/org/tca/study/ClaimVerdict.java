package org.tca.study;

/**
 * The verdict on a whole claim: one {@link Verdict}; for claim 2, whose two parts (the gap
 * correlates with lambda_max; bio rules end sharper) disagree, a {@link Split}; for a claim
 * combined over tasks that disagree, {@link Mixed}; for a claim tested on several training-set
 * draws ({@link Draws}), {@link AcrossDraws}.
 */
public sealed interface ClaimVerdict
    permits Verdict, ClaimVerdict.Split, ClaimVerdict.Mixed, ClaimVerdict.AcrossDraws {

  /** The verdict as reports print it. */
  String text();

  /**
   * Whether this verdict supports the claim, as {@link StudyClaims#combine} counts it:
   * {@link Verdict#SUPPORTED}; across draws, the combined test's verdict when there is one,
   * else every draw that could test it.
   */
  default boolean supports() {
    return this == Verdict.SUPPORTED;
  }

  /**
   * Claim 2's parts, when their verdicts differ.
   *
   * @param correlation the verdict on the gap-lambda_max correlation
   * @param sharper the verdict on bio rules ending at a higher lambda_max
   */
  record Split(Verdict correlation, Verdict sharper) implements ClaimVerdict {
    @Override
    public String text() {
      return correlation.text() + " (correlation); " + sharper.text() + " (bio rules sharper)";
    }
  }

  /**
   * Tasks that tested the claim and disagree.
   *
   * @param supported the tasks whose verdict is {@link Verdict#SUPPORTED}
   * @param tested the tasks that could test the claim
   */
  record Mixed(int supported, int tested) implements ClaimVerdict {
    @Override
    public String text() {
      return String.format(java.util.Locale.ROOT, "mixed (supported in %d of %d tasks)",
          supported, tested);
    }
  }

  /**
   * A claim tested on each of several training-set draws, and across them by a combined test
   * stratified by draw ({@link DrawClaims}).
   *
   * @param supported the draws whose verdict is {@link Verdict#SUPPORTED}
   * @param tested the draws that could test the claim (at least one)
   * @param combined the verdict of the combined test over the draws; null: none
   */
  record AcrossDraws(int supported, int tested, ClaimVerdict combined) implements ClaimVerdict {
    @Override
    public String text() {
      return String.format(java.util.Locale.ROOT, "supported in %d of %d draws%s", supported,
          tested, combined == null ? "" : "; combined: " + combined.text());
    }

    @Override
    public boolean supports() {
      return combined == null ? supported == tested : combined.supports();
    }

    /** Whether some draws support the claim and others do not. */
    public boolean fragile() {
      return supported > 0 && supported < tested;
    }
  }
}
