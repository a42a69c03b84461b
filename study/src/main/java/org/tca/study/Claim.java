package org.tca.study;

import java.util.Objects;

/**
 * One claim of Liu et al. (2022) as a study tests it ({@link StudyClaims}).
 *
 * @param title the claim, numbered, e.g. "1. Bio-plausible rules reach a worse ..."
 * @param verdict what the numbers say
 * @param text a paragraph built from the numbers
 */
public record Claim(String title, ClaimVerdict verdict, String text) {

  /** Checks that nothing is null. */
  public Claim {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(text, "text");
  }
}
