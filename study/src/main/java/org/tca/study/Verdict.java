package org.tca.study;

/**
 * What a study's numbers say about one claim (or one part of a claim), at significance level
 * {@link StudyClaims#ALPHA}:
 *
 * <ul>
 *   <li>{@link #SUPPORTED}: the right direction, p &lt; alpha;
 *   <li>{@link #PARTLY_SUPPORTED}: claim 1: the bio gap is worse, but its sd is not larger;
 *       claim 4: only one rule family is on its side of 2/eta;
 *   <li>{@link #DIRECTION_ONLY}: the right direction, p &gt;= alpha;
 *   <li>{@link #NOT_SUPPORTED}: the wrong direction;
 *   <li>{@link #NOT_TESTABLE}: too few runs.
 * </ul>
 */
public enum Verdict implements ClaimVerdict {
  SUPPORTED("supported"),
  PARTLY_SUPPORTED("partly supported"),
  DIRECTION_ONLY("direction only"),
  NOT_SUPPORTED("not supported"),
  NOT_TESTABLE("not testable");

  private final String text;

  Verdict(String text) {
    this.text = text;
  }

  /** The verdict as reports print it, e.g. "direction only". */
  @Override
  public String text() {
    return text;
  }

  /** The verdict of a one-sided test: {@link #NOT_SUPPORTED} in the wrong direction. */
  static Verdict of(boolean rightDirection, double p) {
    if (!rightDirection) {
      return NOT_SUPPORTED;
    }
    return p < StudyClaims.ALPHA ? SUPPORTED : DIRECTION_ONLY;
  }
}
