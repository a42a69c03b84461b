package org.tca.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.tca.numerics.random.RandomStream;
import org.tca.numerics.stats.CorrelationResult;
import org.tca.numerics.stats.Descriptive;
import org.tca.numerics.stats.Stouffer;
import org.tca.numerics.stats.WelchResult;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.RuleFamily;

/**
 * The claims of one task run on several training-set draws ({@link Draws}): each claim's
 * verdict per draw ({@link StudyClaims#evaluate}), "supported in k of m draws", and a combined
 * test stratified by draw: every comparison is made within a draw and only then combined, so a
 * draw whose numbers are all larger is evidence for neither side (docs/science.md, "Across
 * training-set draws"). With one-sided p-values p_i per draw, z_i = Phi^-1(1 - p_i) and Stouffer's
 * Z = sum_i z_i / sqrt(m) ({@link Stouffer}):
 *
 * <ol>
 *   <li>Z of each draw's one-sided Welch test of a larger bio gap, on the gaps that decide the
 *       draw's verdict (final gaps; at the matched train loss when a rule under-fits);
 *   <li>Z of each draw's one-sided Pearson and Spearman tests of a positive gap-lambda_max
 *       correlation (both Z &gt; 0, the smaller combined p Bonferroni-corrected for the two), and
 *       Z of each draw's one-sided Welch test of a larger bio lambda_max;
 *   <li>per bio rule and non-baseline setting, Z of each draw's one-sided Welch tests of a lower
 *       gap and a lower lambda_max than at the baseline, with one draw's rule for the verdict;
 *   <li>a stratified permutation test of the share of checkpoints above 2/eta
 *       ({@link StudyClaims#fractionAboveEdge}): T = sum over draws of (mean bio share - mean
 *       exact share), the family labels permuted within each draw ({@value #PERMUTATIONS}
 *       times, stream seeded {@value #PERMUTATION_SEED}), p = (1 + #{T* &gt;= T}) / (1 +
 *       {@value #PERMUTATIONS}); and the thresholds of one draw applied to each rule's share
 *       over all draws.
 * </ol>
 */
public final class DrawClaims {

  /** Permutations of claim 4's combined test. */
  public static final int PERMUTATIONS = 9999;

  /** Seed of claim 4's permutation stream. */
  public static final long PERMUTATION_SEED = 20221128L;

  private DrawClaims() {}

  /** A combined test's verdict (null: no draw can make it) and the sentence with its numbers. */
  private record Combined(ClaimVerdict verdict, String text) {}

  /**
   * The claims of one task on several draws (draw task id to its runs and to its
   * {@link StudyClaims#evaluate} claims): per claim, each draw's verdict, "supported in k of m
   * draws" and the combined test ({@link ClaimVerdict.AcrossDraws}); "fragile" when some draws
   * support the claim and others do not.
   */
  public static List<Claim> acrossDraws(Map<String, List<RunRecord>> runs,
      Map<String, List<Claim>> perDraw) {
    Map<String, List<Map.Entry<String, Claim>>> byClaim = new LinkedHashMap<>();
    perDraw.forEach((draw, claims) -> claims.forEach(c -> byClaim
        .computeIfAbsent(c.title(), k -> new ArrayList<>()).add(Map.entry(draw, c))));
    List<List<RunRecord>> draws = List.copyOf(runs.values());
    List<Claim> out = new ArrayList<>();
    for (Map.Entry<String, List<Map.Entry<String, Claim>>> e : byClaim.entrySet()) {
      List<Map.Entry<String, Claim>> v = e.getValue();
      List<ClaimVerdict> tested = v.stream().map(x -> x.getValue().verdict())
          .filter(x -> x != Verdict.NOT_TESTABLE).toList();
      int supported = (int) tested.stream().filter(x -> x == Verdict.SUPPORTED).count();
      StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "Per training-set"
          + " draw: supported in %d of %d draws (%d of %d could test it).", supported,
          tested.size(), tested.size(), v.size()));
      if (supported > 0 && supported < tested.size()) {
        text.append(" The verdict depends on the draw: this claim is fragile in this regime.");
      } else if (tested.stream().distinct().count() > 1) {
        text.append(" No draw supports it, though their verdicts differ.");
      }
      Combined combined = switch (e.getKey().substring(0, e.getKey().indexOf('.'))) {
        case "1" -> claim1(draws);
        case "2" -> claim2(draws);
        case "3" -> claim3(draws);
        default -> claim4(draws);
      };
      text.append(combined.text());
      text.append(" Per draw (each draw's paragraph is in its task's claims): ").append(
          String.join("; ", v.stream().map(x -> x.getKey() + ": " + x.getValue().verdict()
              .text()).toList())).append('.');
      out.add(new Claim(e.getKey(), tested.isEmpty() ? Verdict.NOT_TESTABLE
          : new ClaimVerdict.AcrossDraws(supported, tested.size(), combined.verdict()),
          text.toString()));
    }
    return out;
  }

  /**
   * How robust the verdicts of {@code claims} are to the draw of the training set, in plain
   * words: per claim tested across draws whether every draw agrees on support, or the claim is
   * fragile (supported on some draws only); "" when no claim was tested across draws.
   */
  public static String robustness(List<Claim> claims) {
    List<String> robust = new ArrayList<>();
    List<String> fragile = new ArrayList<>();
    for (Claim c : claims) {
      if (!(c.verdict() instanceof ClaimVerdict.AcrossDraws a)) {
        continue;
      }
      String n = "claim " + c.title().substring(0, c.title().indexOf('.'));
      String combined = a.combined() == null ? "" : "; combined over the draws: "
          + a.combined().text();
      if (a.fragile()) {
        fragile.add(String.format(Locale.ROOT, "%s is supported in %d of %d draws only%s", n,
            a.supported(), a.tested(), combined));
      } else {
        robust.add(String.format(Locale.ROOT, "%s is %s in all %d draws that could test it%s",
            n, a.supported() == 0 ? "not supported" : "supported", a.tested(), combined));
      }
    }
    if (robust.isEmpty() && fragile.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder("How robust are the verdicts? ");
    if (fragile.isEmpty()) {
      s.append("Every claim gets the same answer on every draw of the training set: ")
          .append(String.join("; ", robust)).append('.');
      return s.toString();
    }
    boolean one = fragile.size() == 1;
    s.append("Fragile: ").append(String.join("; ", fragile)).append(". Whether ")
        .append(one ? "this claim shows" : "these claims show").append(" on one training set"
            + " depends on which set was drawn, so a study of one draw in this regime could"
            + " report either verdict. The combined test pools the evidence of the draws and is"
            + " the better summary, but it rests on draws that disagree: treat ")
        .append(one ? "this claim" : "these claims")
        .append(" as not firmly established here, and add draws before relying on ")
        .append(one ? "it." : "them.");
    if (!robust.isEmpty()) {
      s.append(" The same on every draw: ").append(String.join("; ", robust)).append('.');
    }
    return s.toString();
  }

  private static Combined claim1(List<List<RunRecord>> draws) {
    List<Double> p = new ArrayList<>();
    for (List<RunRecord> rs : draws) {
      double[][] g = StudyClaims.claim1Gaps(rs);
      add(p, greaterP(g[0], g[1]));
    }
    return stouffer(p, "Combined", "a larger mean bio gap (the gaps that decide each draw's"
        + " verdict: final, or at the matched train loss where a rule under-fits)");
  }

  private static Combined claim2(List<List<RunRecord>> draws) {
    List<Double> pearson = new ArrayList<>();
    List<Double> spearman = new ArrayList<>();
    List<Double> sharper = new ArrayList<>();
    for (List<RunRecord> rs : draws) {
      GapCorrelation c = GapCorrelation.of(StudySummary.usable(rs));
      add(pearson, positiveP(new CorrelationResult(c.pearsonR(), c.pearsonP(), c.n())));
      add(spearman, positiveP(new CorrelationResult(c.spearmanR(), c.spearmanP(), c.n())));
      List<RunRecord> base = baseline(rs);
      add(sharper, greaterP(values(base, RuleFamily.APPROXIMATE, RunRecord::lambdaMax),
          values(base, RuleFamily.EXACT, RunRecord::lambdaMax)));
    }
    if (pearson.isEmpty() || spearman.isEmpty()) {
      return new Combined(null, "");
    }
    double zp = Stouffer.z(array(pearson));
    double zs = Stouffer.z(array(spearman));
    double pc = Math.min(1, 2 * Math.min(Stouffer.p(array(pearson)),
        Stouffer.p(array(spearman))));
    Verdict correlation = Verdict.of(zp > 0 && zs > 0, pc);
    String text = String.format(Locale.ROOT, " Combined over the %d draws that can test the"
        + " correlation (stratified by draw: Stouffer's Z = sum_i z_i / sqrt(m), z_i ="
        + " Phi^-1(1 - p_i), p_i the draw's one-sided p-value of a positive correlation):"
        + " Pearson Z = %.3f, Spearman Z = %.3f, the smaller combined p Bonferroni-corrected for"
        + " the two = %.3g: %s.", pearson.size(), zp, zs, pc, correlation.text());
    Combined s = stouffer(sharper, "Bio rules sharper, combined",
        "a larger mean bio lambda_max at the baseline setting");
    ClaimVerdict v = s.verdict() == null || s.verdict() == correlation ? correlation
        : new ClaimVerdict.Split(correlation, (Verdict) s.verdict());
    return new Combined(v, text + s.text());
  }

  private static Combined claim3(List<List<RunRecord>> draws) {
    Map<String, List<Double>> gap = new LinkedHashMap<>();
    Map<String, List<Double>> lam = new LinkedHashMap<>();
    for (List<RunRecord> rs : draws) {
      List<RunRecord> use = StudySummary.usable(rs);
      String base = rs.get(0).setting();
      for (String rule : use.stream().map(RunRecord::rule).distinct().toList()) {
        if (FloatRules.family(rule) != RuleFamily.APPROXIMATE) {
          continue;
        }
        List<RunRecord> b = use.stream().filter(r -> r.rule().equals(rule)
            && r.setting().equals(base)).toList();
        for (String s : use.stream().map(RunRecord::setting).distinct()
            .filter(s -> !s.equals(base)).toList()) {
          List<RunRecord> o = use.stream().filter(r -> r.rule().equals(rule)
              && r.setting().equals(s)).toList();
          if (o.isEmpty()) {
            continue;
          }
          String key = rule + " at " + o.get(0).settingLabel();
          double pg = greaterP(StudySummary.values(b, RunRecord::gap),
              StudySummary.values(o, RunRecord::gap));
          if (!Double.isNaN(pg)) {
            gap.computeIfAbsent(key, k -> new ArrayList<>()).add(pg);
            lam.computeIfAbsent(key, k -> new ArrayList<>()).add(greaterP(
                StudySummary.values(b, RunRecord::lambdaMax),
                StudySummary.values(o, RunRecord::lambdaMax)));
          }
        }
      }
    }
    if (gap.isEmpty()) {
      return new Combined(null, "");
    }
    List<String> parts = new ArrayList<>();
    int lowerGap = 0;
    int significant = 0;
    int lowerLam = 0;
    for (String key : gap.keySet()) {
      double zg = Stouffer.z(array(gap.get(key)));
      double pg = Stouffer.p(array(gap.get(key)));
      double[] l = lam.get(key).stream().filter(x -> !Double.isNaN(x))
          .mapToDouble(Double::doubleValue).toArray();
      double zl = l.length == 0 ? Double.NaN : Stouffer.z(l);
      lowerGap += zg > 0 ? 1 : 0;
      significant += zg > 0 && pg < StudyClaims.ALPHA ? 1 : 0;
      lowerLam += zl > 0 ? 1 : 0;
      parts.add(String.format(Locale.ROOT, "%s (%d draws): gap Z = %.3f (p = %.3g), lambda_max"
          + " Z = %.3f (p = %.3g)", key, gap.get(key).size(), zg, pg, zl,
          l.length == 0 ? Double.NaN : Stouffer.p(l)));
    }
    int n = gap.size();
    Verdict v = lowerGap * 2 > n && lowerLam * 2 > n
        ? (significant > 0 ? Verdict.SUPPORTED : Verdict.DIRECTION_ONLY) : Verdict.NOT_SUPPORTED;
    return new Combined(v, String.format(Locale.ROOT, " Combined over the draws (stratified by"
        + " draw: Stouffer's Z of each draw's one-sided Welch p-values of a lower gap and a"
        + " lower lambda_max than at the rule's baseline setting): %s. The gap is lower in %d of"
        + " %d comparisons (%d significantly) and lambda_max in %d of %d: %s.",
        String.join("; ", parts), lowerGap, n, significant, lowerLam, n, v.text()));
  }

  private static Combined claim4(List<List<RunRecord>> draws) {
    List<double[][]> strata = new ArrayList<>();
    Map<String, List<Double>> perRule = new LinkedHashMap<>();
    for (List<RunRecord> rs : draws) {
      List<RunRecord> base = baseline(rs);
      double[] b = values(base, RuleFamily.APPROXIMATE, StudyClaims::fractionAboveEdge);
      double[] e = values(base, RuleFamily.EXACT, StudyClaims::fractionAboveEdge);
      if (b.length == 0 || e.length == 0) {
        continue;
      }
      strata.add(new double[][] {b, e});
      for (RunRecord r : base) {
        double f = StudyClaims.fractionAboveEdge(r);
        RuleFamily fam = FloatRules.family(r.rule());
        if (Double.isFinite(f) && fam != RuleFamily.UNBIASED_ESTIMATE) {
          perRule.computeIfAbsent(r.rule(), k -> new ArrayList<>()).add(f);
        }
      }
    }
    if (strata.isEmpty()) {
      return new Combined(null, "");
    }
    boolean exactBelow = true;
    boolean bioAbove = true;
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, List<Double>> e : perRule.entrySet()) {
      double m = Descriptive.mean(array(e.getValue()));
      parts.add(String.format(Locale.ROOT, "%s %.0f%% (%d runs)", e.getKey(), 100 * m,
          e.getValue().size()));
      if (FloatRules.family(e.getKey()) == RuleFamily.EXACT) {
        exactBelow &= m <= StudyClaims.EXACT_MOST;
      } else {
        bioAbove &= m >= StudyClaims.BIO_LEAST;
      }
    }
    double t = shareDifference(strata);
    RandomStream rng = new RandomStream(PERMUTATION_SEED);
    int atLeast = 0;
    double tol = 1e-12 * Math.max(1, Math.abs(t));
    for (int i = 0; i < PERMUTATIONS; i++) {
      List<double[][]> perm = new ArrayList<>();
      for (double[][] s : strata) {
        perm.add(shuffled(s, rng));
      }
      atLeast += shareDifference(perm) >= t - tol ? 1 : 0;
    }
    double p = (1.0 + atLeast) / (1.0 + PERMUTATIONS);
    Verdict v = exactBelow && bioAbove ? Verdict.of(t > 0, p)
        : exactBelow || bioAbove ? Verdict.PARTLY_SUPPORTED : Verdict.NOT_SUPPORTED;
    return new Combined(v, String.format(Locale.ROOT, " Combined over the %d draws that can"
        + " test it: each rule's share over all draws is %s (the exact rules %s, the bio rules"
        + " %s); stratified permutation test of a larger share for the bio rules (T = sum over"
        + " draws of mean bio share - mean exact share = %.3f, family labels permuted within"
        + " each draw %d times): p = %.3g: %s.", strata.size(), String.join(", ", parts),
        exactBelow ? "stay at or below 2/eta" : "do not stay at or below 2/eta",
        bioAbove ? "exceed it" : "do not exceed it", t, PERMUTATIONS, p, v.text()));
  }

  /** Sum over strata {bio, exact} of mean(bio) - mean(exact). */
  private static double shareDifference(List<double[][]> strata) {
    double t = 0;
    for (double[][] s : strata) {
      t += Descriptive.mean(s[0]) - Descriptive.mean(s[1]);
    }
    return t;
  }

  /** The stratum's values pooled, shuffled (Fisher-Yates) and split again at the same sizes. */
  private static double[][] shuffled(double[][] s, RandomStream rng) {
    int nb = s[0].length;
    double[] all = new double[nb + s[1].length];
    System.arraycopy(s[0], 0, all, 0, nb);
    System.arraycopy(s[1], 0, all, nb, s[1].length);
    for (int i = all.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      double x = all[i];
      all[i] = all[j];
      all[j] = x;
    }
    return new double[][] {java.util.Arrays.copyOf(all, nb),
        java.util.Arrays.copyOfRange(all, nb, all.length)};
  }

  /**
   * Stouffer's combination of the p-values {@code p} of {@code what}, with its sentence, which
   * starts with {@code lead}.
   */
  private static Combined stouffer(List<Double> p, String lead, String what) {
    if (p.isEmpty()) {
      return new Combined(null, "");
    }
    double[] x = array(p);
    double z = Stouffer.z(x);
    double pc = Stouffer.p(x);
    Verdict v = Verdict.of(z > 0, pc);
    return new Combined(v, String.format(Locale.ROOT, " %s over the %d draws that can test it"
        + " (stratified by draw: Stouffer's Z = sum_i z_i / sqrt(m), z_i = Phi^-1(1 - p_i), p_i"
        + " the draw's one-sided Welch p-value of %s): Z = %.3f, p = %.3g: %s.", lead, x.length,
        what, z, pc, v.text()));
  }

  /** The usable runs at the baseline setting (the first run's). */
  private static List<RunRecord> baseline(List<RunRecord> runs) {
    String base = runs.isEmpty() ? "" : runs.get(0).setting();
    return StudySummary.usable(runs).stream().filter(r -> r.setting().equals(base)).toList();
  }

  /** The finite values of f over the runs of {@code family}'s rules. */
  private static double[] values(List<RunRecord> runs, RuleFamily family,
      ToDoubleFunction<RunRecord> f) {
    return StudySummary.values(runs.stream()
        .filter(r -> FloatRules.family(r.rule()) == family).toList(), f);
  }

  /** The one-sided Welch p-value of mean(a) &gt; mean(b); NaN when the test is undefined. */
  static double greaterP(double[] a, double[] b) {
    WelchResult w = WelchResult.test(a, b);
    return Double.isNaN(w.t()) ? Double.NaN : Stouffer.welchGreater(w);
  }

  /**
   * The one-sided p-value of a positive correlation from a two-sided one whose null law is
   * symmetric (the t law of {@link org.tca.numerics.stats.Correlation}): p/2 when r &gt; 0, else
   * 1 - p/2; NaN when undefined.
   */
  static double positiveP(CorrelationResult c) {
    if (Double.isNaN(c.r()) || Double.isNaN(c.p())) {
      return Double.NaN;
    }
    return c.r() > 0 ? c.p() / 2 : 1 - c.p() / 2;
  }

  private static void add(List<Double> p, double x) {
    if (!Double.isNaN(x)) {
      p.add(x);
    }
  }

  private static double[] array(List<Double> x) {
    return x.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
