package org.tca.numerics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Stouffer's combination against a hand computation. */
class StoufferTest {

  @Test
  void combinesOneSidedPValuesAsTheHandComputationDoes() {
    // z = Phi^-1(0.99), Phi^-1(0.8), Phi^-1(0.4) = 2.3263479, 0.8416212, -0.2533471 (tables);
    // Z = 2.9146220 / sqrt 3 = 1.6827578; 1 - Phi(Z) = 0.0462110.
    double[] p = {0.01, 0.2, 0.6};
    assertEquals(1.6827577988713542, Stouffer.z(p), 1e-9);
    assertEquals(0.04621099380708227, Stouffer.p(p), 1e-9);
    // one test: its own p back
    assertEquals(0.3, Stouffer.p(new double[] {0.3}), 1e-12);
    // equal and opposite evidence cancels
    assertEquals(0.5, Stouffer.p(new double[] {0.1, 0.9}), 1e-12);
  }

  @Test
  void welchGreaterIsTheUpperTail() {
    WelchResult w = WelchResult.test(new double[] {3, 4, 5}, new double[] {1, 2, 3});
    assertEquals(w.p() / 2, Stouffer.welchGreater(w), 1e-12); // t > 0: half the two-sided p
    WelchResult r = WelchResult.test(new double[] {1, 2, 3}, new double[] {3, 4, 5});
    assertEquals(1 - w.p() / 2, Stouffer.welchGreater(r), 1e-12);
  }

  @Test
  void badInputIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Stouffer.z(new double[0]));
    assertThrows(IllegalArgumentException.class, () -> Stouffer.z(new double[] {1.5}));
  }
}
