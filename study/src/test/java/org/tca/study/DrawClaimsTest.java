package org.tca.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tca.numerics.stats.Distributions;
import org.tca.rules.train.RunStatus;
import org.tca.rules.train.TrajectoryPoint;

/**
 * Claims 2, 3 and 4 (and 1) across three training-set draws, on synthetic runs where the answer
 * is known: the claim holds in every draw, in none, or in one of three. The combined statistics
 * are checked against the formulas evaluated here (Stouffer of one-sided Welch and correlation
 * p-values; for claim 4 the exact permutation p-value by full enumeration).
 */
class DrawClaimsTest {

  private static final double[] LOW_GAP = {0.10, 0.11, 0.12};
  private static final double[] HIGH_GAP = {0.20, 0.25, 0.30};
  private static final double[] LOW_LAM = {1, 1.5, 2};
  private static final double[] HIGH_LAM = {5, 8, 6};

  /**
   * A run whose final gap is {@code gap}; its lambda_max is {@code lam[i]} at checkpoint i + 1
   * (iterations 20, 40, ..., 100; 2/eta = 20), the final one its final lambda_max; its train loss
   * goes from 1 to 0.01, so no rule under-fits.
   */
  private static RunRecord run(String task, String rule, int seed, String setting, double gap,
      double... lam) {
    List<TrajectoryPoint> t = new ArrayList<>();
    t.add(point(0, 1, 1, lam[0]));
    for (int i = 0; i < lam.length; i++) {
      t.add(point(20 * (i + 1), i == lam.length - 1 ? 0.01 : 0.5, 0.01 + gap, lam[i]));
    }
    return new RunRecord(task + "__" + rule + "__" + setting + "__s" + seed, task, rule, seed,
        setting, setting, 0.1, 100, RunStatus.OK, 100, -1, "", t);
  }

  private static TrajectoryPoint point(long it, double train, double test, double lam) {
    return new TrajectoryPoint(it, 0.1, train, 0.5, test, 0.5, Double.NaN, Double.NaN, 0, train,
        1, Map.of("lambda_max", lam, "two_over_eta", 20.0));
  }

  /** Runs of three draws x.d0-d2, draw d made by {@code draw} (draw id, claim holds). */
  private static List<RunRecord> draws(boolean[] holds,
      BiFunction<String, Boolean, List<RunRecord>> draw) {
    List<RunRecord> out = new ArrayList<>();
    for (int d = 0; d < holds.length; d++) {
      out.addAll(draw.apply("x.d" + d, holds[d]));
    }
    return out;
  }

  private static final boolean[] ALL = {true, true, true};
  private static final boolean[] NONE = {false, false, false};
  private static final boolean[] ONE = {true, false, false};

  /** Claim 1: a larger, more variable bio gap where it holds, a smaller one where not. */
  private static List<RunRecord> claim1(String task, boolean holds) {
    List<RunRecord> out = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      out.add(run(task, "bptt", s, "s", (holds ? LOW_GAP : HIGH_GAP)[s], 5));
      out.add(run(task, "eprop", s, "s", (holds ? HIGH_GAP : LOW_GAP)[s], 5));
    }
    return out;
  }

  /**
   * Claim 2: bio runs with the larger gaps and, where it holds, the larger lambda_max (gap and
   * lambda_max correlate positively); where not, the smaller (they correlate negatively).
   */
  private static List<RunRecord> claim2(String task, boolean holds) {
    List<RunRecord> out = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      out.add(run(task, "bptt", s, "s", LOW_GAP[s], (holds ? LOW_LAM : HIGH_LAM)[s]));
      out.add(run(task, "eprop", s, "s", HIGH_GAP[s], (holds ? HIGH_LAM : LOW_LAM)[s]));
    }
    return out;
  }

  private static final double[] HIGHER_GAP = {0.40, 0.45, 0.50};
  private static final double[] HIGHER_LAM = {10, 12, 11};

  /** Claim 3: e-prop at a remedy setting "b" ends lower (holds) or higher than at "s". */
  private static List<RunRecord> claim3(String task, boolean holds) {
    List<RunRecord> out = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      out.add(run(task, "bptt", s, "s", LOW_GAP[s], LOW_LAM[s]));
      out.add(run(task, "eprop", s, "s", HIGH_GAP[s], HIGH_LAM[s]));
      out.add(run(task, "eprop", s, "b", (holds ? LOW_GAP : HIGHER_GAP)[s],
          (holds ? LOW_LAM : HIGHER_LAM)[s]));
    }
    return out;
  }

  /** Claim 4 shares above 2/eta = 20 per seed: exact 0, 0, 0.2; bio 0.8, 1, 1 (or swapped). */
  private static final double[][] BELOW = {{1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}, {1, 2, 3, 4, 30}};
  private static final double[][] ABOVE = {{30, 30, 30, 30, 5}, {30, 30, 30, 30, 30},
      {25, 30, 30, 30, 30}};

  private static List<RunRecord> claim4(String task, boolean holds) {
    List<RunRecord> out = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      out.add(run(task, "bptt", s, "s", LOW_GAP[s], (holds ? BELOW : ABOVE)[s]));
      out.add(run(task, "eprop", s, "s", HIGH_GAP[s], (holds ? ABOVE : BELOW)[s]));
    }
    return out;
  }

  /** The across-draws claim whose title starts with {@code n}. */
  private static Claim claim(List<RunRecord> runs, String n) {
    return StudySummary.of(runs).claims().stream().filter(c -> c.title().startsWith(n + "."))
        .findFirst().orElseThrow();
  }

  private static ClaimVerdict.AcrossDraws across(Claim c) {
    assertTrue(c.verdict() instanceof ClaimVerdict.AcrossDraws, c.verdict().text());
    return (ClaimVerdict.AcrossDraws) c.verdict();
  }

  /** Every per-draw verdict of claim n: {@code holds[d]} SUPPORTED, else NOT_SUPPORTED. */
  private static void perDraw(List<RunRecord> runs, String n, boolean[] holds) {
    List<TaskSummary> tasks = StudySummary.of(runs).tasks();
    for (int d = 0; d < holds.length; d++) {
      Claim c = tasks.get(d).claims().stream().filter(x -> x.title().startsWith(n + "."))
          .findFirst().orElseThrow();
      assertEquals(holds[d] ? Verdict.SUPPORTED : Verdict.NOT_SUPPORTED, c.verdict(),
          "draw " + d + ": " + c.text());
    }
  }

  /** The checks common to every claim: k of 3, fragile, and the combined verdict. */
  private static Claim check(BiFunction<String, Boolean, List<RunRecord>> draw, String n,
      boolean[] holds, ClaimVerdict combined) {
    List<RunRecord> runs = draws(holds, draw);
    perDraw(runs, n, holds);
    Claim c = claim(runs, n);
    ClaimVerdict.AcrossDraws a = across(c);
    int k = 0;
    for (boolean h : holds) {
      k += h ? 1 : 0;
    }
    assertEquals(new ClaimVerdict.AcrossDraws(k, 3, combined), a, c.text());
    assertEquals(k > 0 && k < 3, a.fragile());
    assertEquals(k > 0 && k < 3, c.text().contains("fragile"), c.text());
    assertTrue(c.text().contains("supported in " + k + " of 3 draws (3 of 3 could test it)"),
        c.text());
    String robust = StudySummary.of(runs).robustness();
    assertTrue(robust.startsWith("How robust are the verdicts? "), robust);
    assertEquals(k > 0 && k < 3, robust.contains("Fragile: claim " + n + " is supported in " + k
        + " of 3 draws only"), robust);
    return c;
  }

  @Test
  void claim1HoldsInAllNoneOrOneOfThreeDraws() {
    check(DrawClaimsTest::claim1, "1", ALL, Verdict.SUPPORTED);
    check(DrawClaimsTest::claim1, "1", NONE, Verdict.NOT_SUPPORTED);
    double p = welchGreater(HIGH_GAP, LOW_GAP);
    double q = welchGreater(LOW_GAP, HIGH_GAP);
    double z = stoufferZ(p, q, q);
    Claim c = check(DrawClaimsTest::claim1, "1", ONE, Verdict.of(z > 0, normalSf(z)));
    assertTrue(c.text().contains(String.format(Locale.ROOT, "Z = %.3f, p = %.3g", z,
        normalSf(z))), c.text());
  }

  @Test
  void claim2HoldsInAllNoneOrOneOfThreeDraws() {
    check(DrawClaimsTest::claim2, "2", ALL, Verdict.SUPPORTED);
    check(DrawClaimsTest::claim2, "2", NONE, Verdict.NOT_SUPPORTED);
    double[] gap = concat(LOW_GAP, HIGH_GAP);
    double[] up = concat(LOW_LAM, HIGH_LAM);
    double[] down = concat(HIGH_LAM, LOW_LAM);
    double zp = stoufferZ(positiveP(pearson(up, gap)), positiveP(pearson(down, gap)),
        positiveP(pearson(down, gap)));
    double zs = stoufferZ(positiveP(pearson(ranks(up), ranks(gap))),
        positiveP(pearson(ranks(down), ranks(gap))), positiveP(pearson(ranks(down), ranks(gap))));
    double pc = Math.min(1, 2 * Math.min(normalSf(zp), normalSf(zs)));
    Verdict corr = Verdict.of(zp > 0 && zs > 0, pc);
    double zl = stoufferZ(welchGreater(HIGH_LAM, LOW_LAM), welchGreater(LOW_LAM, HIGH_LAM),
        welchGreater(LOW_LAM, HIGH_LAM));
    Verdict sharper = Verdict.of(zl > 0, normalSf(zl));
    Claim c = check(DrawClaimsTest::claim2, "2", ONE,
        corr == sharper ? corr : new ClaimVerdict.Split(corr, sharper));
    assertTrue(c.text().contains(String.format(Locale.ROOT, "Pearson Z = %.3f, Spearman Z ="
        + " %.3f, the smaller combined p Bonferroni-corrected for the two = %.3g", zp, zs, pc)),
        c.text() + " expected " + zp + " " + zs + " " + pc);
    assertTrue(c.text().contains(String.format(Locale.ROOT, "Z = %.3f, p = %.3g", zl,
        normalSf(zl))), c.text());
  }

  @Test
  void claim3HoldsInAllNoneOrOneOfThreeDraws() {
    check(DrawClaimsTest::claim3, "3", ALL, Verdict.SUPPORTED);
    check(DrawClaimsTest::claim3, "3", NONE, Verdict.NOT_SUPPORTED);
    double zg = stoufferZ(welchGreater(HIGH_GAP, LOW_GAP), welchGreater(HIGH_GAP, HIGHER_GAP),
        welchGreater(HIGH_GAP, HIGHER_GAP));
    double zl = stoufferZ(welchGreater(HIGH_LAM, LOW_LAM), welchGreater(HIGH_LAM, HIGHER_LAM),
        welchGreater(HIGH_LAM, HIGHER_LAM));
    Verdict v = zg > 0 && zl > 0 ? Verdict.of(true, normalSf(zg)) : Verdict.NOT_SUPPORTED;
    Claim c = check(DrawClaimsTest::claim3, "3", ONE, v);
    assertTrue(c.text().contains(String.format(Locale.ROOT, "eprop at b (3 draws): gap Z = %.3f"
        + " (p = %.3g), lambda_max Z = %.3f (p = %.3g)", zg, normalSf(zg), zl, normalSf(zl))),
        c.text());
  }

  @Test
  void claim4HoldsInAllNoneOrOneOfThreeDraws() {
    double[] exact = {0, 0, 0.2};
    double[] bio = {0.8, 1, 1};
    double pAll = exactPermutationP(new double[][][] {{bio, exact}, {bio, exact}, {bio, exact}});
    assertTrue(pAll < 0.001, "exact p " + pAll);
    Claim all = check(DrawClaimsTest::claim4, "4", ALL, Verdict.SUPPORTED);
    assertTrue(all.text().contains("bptt 7% (9 runs), eprop 93% (9 runs)"), all.text());
    assertPermutationP(all.text(), pAll);
    check(DrawClaimsTest::claim4, "4", NONE, Verdict.NOT_SUPPORTED);
    // pooled shares: bptt (0.067 + 2 x 0.933) / 3 = 64%, eprop 36%: neither side of 2/eta
    Claim one = check(DrawClaimsTest::claim4, "4", ONE, Verdict.NOT_SUPPORTED);
    assertTrue(one.text().contains("bptt 64% (9 runs), eprop 36% (9 runs)"), one.text());
    assertPermutationP(one.text(), exactPermutationP(new double[][][] {{bio, exact},
        {exact, bio}, {exact, bio}}));
  }

  @Test
  void aBioRuleOnItsSideInOnlyOneFamilyIsPartlySupportedAcrossDraws() {
    // exact rules above 2/eta in every draw as well: only the bio side of the claim holds
    List<RunRecord> runs = draws(ALL, (task, h) -> {
      List<RunRecord> out = new ArrayList<>();
      for (int s = 0; s < 3; s++) {
        out.add(run(task, "bptt", s, "s", LOW_GAP[s], ABOVE[s]));
        out.add(run(task, "eprop", s, "s", HIGH_GAP[s], ABOVE[s]));
      }
      return out;
    });
    ClaimVerdict.AcrossDraws a = across(claim(runs, "4"));
    assertEquals(Verdict.PARTLY_SUPPORTED, a.combined());
    assertFalse(a.supports());
  }

  /** The Monte Carlo p-value in {@code text} is within 4 sd (plus one count) of {@code exact}. */
  private static void assertPermutationP(String text, double exact) {
    Matcher m = Pattern.compile("each draw 9999 times\\): p = ([0-9.e-]+)").matcher(text);
    assertTrue(m.find(), text);
    double p = Double.parseDouble(m.group(1));
    double sd = Math.sqrt(exact * (1 - exact) / DrawClaims.PERMUTATIONS);
    assertTrue(Math.abs(p - exact) <= 4 * sd + 1.0 / DrawClaims.PERMUTATIONS,
        "Monte Carlo p " + p + " vs exact " + exact);
  }

  /**
   * The exact stratified permutation p-value P(T* &gt;= T) over every split of each draw's
   * {bio, exact} shares into groups of their sizes (3 + 3: 20 splits per draw).
   */
  private static double exactPermutationP(double[][][] strata) {
    double t = 0;
    List<List<Double>> diffs = new ArrayList<>();
    for (double[][] s : strata) {
      t += mean(s[0]) - mean(s[1]);
      double[] all = concat(s[0], s[1]);
      List<Double> d = new ArrayList<>();
      for (int mask = 0; mask < 1 << all.length; mask++) {
        if (Integer.bitCount(mask) != s[0].length) {
          continue;
        }
        double b = 0;
        double e = 0;
        for (int i = 0; i < all.length; i++) {
          if ((mask >> i & 1) == 1) {
            b += all[i];
          } else {
            e += all[i];
          }
        }
        d.add(b / s[0].length - e / s[1].length);
      }
      diffs.add(d);
    }
    int atLeast = 0;
    int total = 0;
    for (double a : diffs.get(0)) {
      for (double b : diffs.get(1)) {
        for (double c : diffs.get(2)) {
          total++;
          atLeast += a + b + c >= t - 1e-12 ? 1 : 0;
        }
      }
    }
    return (double) atLeast / total;
  }

  /** Stouffer's Z of one-sided p-values, by its formula. */
  private static double stoufferZ(double... p) {
    double s = 0;
    for (double x : p) {
      s -= Distributions.normalQuantile(x);
    }
    return s / Math.sqrt(p.length);
  }

  private static double normalSf(double z) {
    return 1 - Distributions.normalCdf(z);
  }

  /** The one-sided Welch p-value of mean(a) &gt; mean(b), by the formulas. */
  private static double welchGreater(double[] a, double[] b) {
    double va = variance(a) / a.length;
    double vb = variance(b) / b.length;
    double t = (mean(a) - mean(b)) / Math.sqrt(va + vb);
    double df = (va + vb) * (va + vb) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
    return 1 - Distributions.studentTCdf(t, df);
  }

  /** The one-sided p-value of a positive correlation r over n pairs: P(T_{n-2} &gt;= t). */
  private static double positiveP(double[] rn) {
    double r = rn[0];
    double n = rn[1];
    return 1 - Distributions.studentTCdf(r * Math.sqrt((n - 2) / (1 - r * r)), n - 2);
  }

  /** {r, n}: Pearson's r of x and y by the textbook formula. */
  private static double[] pearson(double[] x, double[] y) {
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return new double[] {sxy / Math.sqrt(sxx * syy), x.length};
  }

  /** Ranks 1..n of distinct values. */
  private static double[] ranks(double[] x) {
    double[] r = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      for (double v : x) {
        r[i] += v <= x[i] ? 1 : 0;
      }
    }
    return r;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] c = new double[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  private static double variance(double[] x) {
    double m = mean(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return s / (x.length - 1);
  }
}
