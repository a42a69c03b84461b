package org.tca.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tca.numerics.stats.Descriptive;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.RuleFamily;

/**
 * Whether a study's numbers on one task support the claims of Liu et al. (2022)
 * (docs/science.md, section "The paper's claims as tca tests them"), each as a verdict and a
 * paragraph built from the numbers, at significance level
 * {@value #ALPHA} ({@link #combine} puts several tasks' verdicts together):
 *
 * <ol>
 *   <li>bio rules reach a worse (and more variable) gap than exact rules: Welch t-test of the
 *       mean final gap, bio vs exact ({@link RuleFamily#EXACT}), baseline setting, usable
 *       runs; sd compared; and, as a check free of how far each rule fitted its training set,
 *       the same comparison at the {@linkplain #matchedLevel matched train loss};
 *   <li>the gap correlates with lambda_max (Pearson and Spearman over all usable runs, both
 *       positive, the smaller p Bonferroni-corrected for the two), and bio rules end at higher
 *       lambda_max (Welch t-test, baseline setting);
 *   <li>(only with two or more settings) remedies: for each bio rule, gap and lambda_max at every
 *       other setting against its baseline setting (Welch t-tests).
 * </ol>
 *
 * Verdicts: "supported" (right direction, p &lt; alpha), "direction only" (right direction, not
 * significant), "not supported" (wrong direction), "not testable" (too few runs); claim 1 is
 * "partly supported" when the bio gap is worse but its sd is not larger.
 */
public final class StudyClaims {

  /** Significance level. */
  public static final double ALPHA = 0.05;

  private StudyClaims() {}

  /** The claims, each a map with "claim", "verdict" and "text". */
  public static List<Map<String, Object>> evaluate(List<RunRecord> runs) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<RunRecord> use = runs.stream().filter(RunRecord::usable).toList();
    String base = runs.isEmpty() ? "" : runs.get(0).setting();
    List<RunRecord> baseUse = use.stream().filter(r -> r.setting().equals(base)).toList();
    List<RunRecord> bio = baseUse.stream().filter(r -> !exact(r.rule())).toList();
    List<RunRecord> ex = baseUse.stream().filter(r -> exact(r.rule())).toList();
    out.add(claim1(bio, ex, runs, matchedLevel(use)));
    out.add(claim2(use, bio, ex));
    if (runs.stream().map(RunRecord::setting).distinct().count() > 1) {
      out.add(claim3(use, base));
    }
    return out;
  }

  /**
   * The claims of a study with several tasks from each task's {@link #evaluate} (task id to
   * claims): per claim, the common verdict when every task that could test it agrees, else
   * "mixed (supported in a of k tasks)"; the text gives each task's verdict and paragraph.
   */
  public static List<Map<String, Object>> combine(Map<String, List<Map<String, Object>>> perTask) {
    Map<String, List<String[]>> byClaim = new LinkedHashMap<>();
    for (Map.Entry<String, List<Map<String, Object>>> e : perTask.entrySet()) {
      for (Map<String, Object> c : e.getValue()) {
        byClaim.computeIfAbsent((String) c.get("claim"), k -> new ArrayList<>()).add(
            new String[] {e.getKey(), (String) c.get("verdict"), (String) c.get("text")});
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, List<String[]>> e : byClaim.entrySet()) {
      List<String[]> v = e.getValue();
      List<String[]> tested = v.stream().filter(x -> !x[1].equals("not testable")).toList();
      long supported = tested.stream().filter(x -> x[1].equals("supported")).count();
      String verdict = tested.isEmpty() ? "not testable"
          : tested.stream().map(x -> x[1]).distinct().count() == 1 ? tested.get(0)[1]
          : String.format(Locale.ROOT, "mixed (supported in %d of %d tasks)", supported,
              tested.size());
      StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "Tested on %d of %d"
          + " tasks, supported on %d.", tested.size(), v.size(), supported));
      for (String[] x : v) {
        text.append(" Task ").append(x[0]).append(": ").append(x[1]).append(". ")
            .append(x[2]);
      }
      out.add(claim(e.getKey(), verdict, text.toString()));
    }
    return out;
  }

  static boolean exact(String rule) {
    return FloatRules.family(rule) == RuleFamily.EXACT;
  }

  /**
   * The train loss every usable run reached at some checkpoint: the largest of their lowest
   * train losses (NaN without runs). Gaps compared at this level are free of the confound that
   * the gap grows as a network fits its finite training set further.
   */
  public static double matchedLevel(List<RunRecord> use) {
    return use.stream().mapToDouble(RunRecord::bestTrainLoss).filter(Double::isFinite).max()
        .orElse(Double.NaN);
  }

  private static Map<String, Object> claim1(List<RunRecord> bio, List<RunRecord> ex,
      List<RunRecord> all, double level) {
    String title = "1. Bio-plausible rules reach a worse and more variable generalization gap";
    long diverged = all.stream().filter(RunRecord::diverged).count();
    long stalled = all.stream().filter(RunRecord::stalled).count();
    String div = diverged + stalled == 0 ? "" : String.format(Locale.ROOT,
        " %d diverged and %d stalled run(s) are left out of every mean.", diverged, stalled);
    double[] b = StudySummary.values(bio, RunRecord::gap);
    double[] e = StudySummary.values(ex, RunRecord::gap);
    if (b.length < 2 || e.length < 2) {
      return claim(title, "not testable", "This study has " + b.length + " usable bio-rule run(s)"
          + " and " + e.length + " usable exact-gradient run(s) at the baseline setting; at least"
          + " two of each are needed." + div);
    }
    double[] w = StudySummary.welch(b, e);
    double mb = Descriptive.mean(b);
    double me = Descriptive.mean(e);
    double sb = Descriptive.standardDeviation(b);
    double se = Descriptive.standardDeviation(e);
    String verdict = verdict(mb > me, w[2]);
    String variability = "";
    if (!verdict.equals("not supported") && !(sb > se)) {
      verdict = "partly supported";
      variability = " The gap is worse for the bio rules but not more variable, so only the first"
          + " half of the claim holds here.";
    }
    String text = String.format(Locale.ROOT, "At the baseline learning rate the bio rules (%s; n ="
        + " %d) end with a mean gap of %.4g (sd %.3g) against %.4g (sd %.3g) for the exact-"
        + "gradient rules (%s; n = %d): a difference of %+.3g, Welch t = %.2f, df = %.1f, p = %.3g."
        + " The bio gaps are %s variable (sd ratio %.2f). Per rule: %s.%s %s",
        rules(bio), b.length, mb, sb, me, se, rules(ex), e.length, mb - me, w[0], w[1], w[2],
        sb > se ? "more" : "less", sb / se, perRule(bio, ex), div,
        sentence(verdict(mb > me, w[2]), "a worse gap for the bio rules",
            "the bio rules' mean gap is smaller", w[2])) + variability + fit(bio, ex, mb - me)
        + matched(bio, ex, level);
    return claim(title, verdict, text);
  }

  private static Map<String, Object> claim2(List<RunRecord> use, List<RunRecord> bio,
      List<RunRecord> ex) {
    String title = "2. The gap correlates with curvature, and bio rules sit in sharper regions";
    if (use.size() < 3) {
      return claim(title, "not testable", "Only " + use.size() + " usable run(s); a correlation"
          + " needs at least three.");
    }
    Map<String, Object> c = StudySummary.correlation(use);
    double pr = (double) c.get("pearson_r");
    double pp = (double) c.get("pearson_p");
    double sr = (double) c.get("spearman_r");
    double sp = (double) c.get("spearman_p");
    boolean positive = pr > 0 && sr > 0;
    double p = Math.min(1, 2 * Math.min(pp, sp)); // Bonferroni over the two tests
    String verdict = Double.isNaN(p) ? "not testable" : verdict(positive, p);
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "Across all %d usable runs the"
        + " final gap against the final lambda_max has Pearson r = %.3f (p = %.3g) and Spearman"
        + " rho = %.3f (p = %.3g); the smaller p, Bonferroni-corrected for the two tests, is"
        + " %.3g. %s", use.size(), pr, pp, sr, sp, p,
        sentence(verdict, "a positive correlation", "the correlation is negative", p)));
    double[] b = StudySummary.values(bio, RunRecord::lambdaMax);
    double[] e = StudySummary.values(ex, RunRecord::lambdaMax);
    if (b.length >= 2 && e.length >= 2) {
      double[] w = StudySummary.welch(b, e);
      double mb = Descriptive.mean(b);
      double me = Descriptive.mean(e);
      String v2 = verdict(mb > me, w[2]);
      t.append(String.format(Locale.ROOT, " At the baseline rate the bio rules end at a mean"
          + " lambda_max of %.4g against %.4g for the exact rules (ratio %.2f, Welch p = %.3g);"
          + " %d of %d bio runs and %d of %d exact runs end above 2/eta. %s", mb, me, mb / me,
          w[2], countAbove(bio), bio.size(), countAbove(ex), ex.size(),
          sentence(v2, "higher curvature for the bio rules",
              "the bio rules end at lower lambda_max", w[2])));
      if (!v2.equals(verdict)) {
        verdict = verdict + " (correlation); " + v2 + " (bio rules sharper)";
      }
    }
    return claim(title, verdict, t.toString());
  }

  private static Map<String, Object> claim3(List<RunRecord> use, String base) {
    String title = "3. Remedies (larger or boosted learning rates) lower curvature and the gap";
    List<String> lines = new ArrayList<>();
    int comparisons = 0;
    int lowerGap = 0;
    int significant = 0;
    int lowerLam = 0;
    for (String rule : use.stream().map(RunRecord::rule).distinct().toList()) {
      if (exact(rule)) {
        continue;
      }
      List<RunRecord> b = use.stream().filter(r -> r.rule().equals(rule)
          && r.setting().equals(base)).toList();
      for (String s : use.stream().map(RunRecord::setting).distinct().toList()) {
        if (s.equals(base)) {
          continue;
        }
        List<RunRecord> o = use.stream().filter(r -> r.rule().equals(rule)
            && r.setting().equals(s)).toList();
        double[] gb = StudySummary.values(b, RunRecord::gap);
        double[] go = StudySummary.values(o, RunRecord::gap);
        if (gb.length < 2 || go.length < 2) {
          continue;
        }
        double[] lb = StudySummary.values(b, RunRecord::lambdaMax);
        double[] lo = StudySummary.values(o, RunRecord::lambdaMax);
        double[] wg = StudySummary.welch(go, gb);
        double[] wl = StudySummary.welch(lo, lb);
        comparisons++;
        boolean g = Descriptive.mean(go) < Descriptive.mean(gb);
        lowerGap += g ? 1 : 0;
        significant += g && wg[2] < ALPHA ? 1 : 0;
        lowerLam += Descriptive.mean(lo) < Descriptive.mean(lb) ? 1 : 0;
        lines.add(String.format(Locale.ROOT, "%s at %s: gap %.4g -> %.4g (p = %.3g), lambda_max"
            + " %.4g -> %.4g (p = %.3g)", rule, o.get(0).settingLabel(), Descriptive.mean(gb),
            Descriptive.mean(go), wg[2], Descriptive.mean(lb), Descriptive.mean(lo), wl[2]));
      }
    }
    if (comparisons == 0) {
      return claim(title, "not testable", "No bio rule has two or more usable runs at both its"
          + " baseline and another setting.");
    }
    String verdict = lowerGap * 2 > comparisons && lowerLam * 2 > comparisons
        ? (significant > 0 ? "supported" : "direction only") : "not supported";
    String text = String.format(Locale.ROOT, "Against each bio rule's baseline setting: %s. The"
        + " gap is lower in %d of %d comparisons (%d significantly) and lambda_max in %d of %d."
        + " %s", String.join("; ", lines), lowerGap, comparisons, significant, lowerLam,
        comparisons, sentence(verdict, "that the remedies help",
            "the remedies do not lower the gap and lambda_max", 1));
    return claim(title, verdict, text);
  }

  private static String verdict(boolean rightDirection, double p) {
    if (!rightDirection) {
      return "not supported";
    }
    return p < ALPHA ? "supported" : "direction only";
  }

  /**
   * How well each side fits its training set: a gap compares runs at their own train loss, and
   * it grows as a network fits a finite training set further, so a train-loss difference larger
   * than the gap difference itself is flagged.
   */
  private static String fit(List<RunRecord> bio, List<RunRecord> ex, double gapDifference) {
    double tb = Descriptive.mean(StudySummary.values(bio, RunRecord::trainLoss));
    double te = Descriptive.mean(StudySummary.values(ex, RunRecord::trainLoss));
    String cmp = Math.abs(tb - te) > Math.abs(gapDifference)
        ? String.format(Locale.ROOT, " The train losses differ by more than the gaps do (%.3g"
            + " vs %.3g), so the final gaps partly reflect how far each rule fitted its"
            + " training set; the comparison at matched train loss below removes that.",
            Math.abs(tb - te), Math.abs(gapDifference)) : "";
    return String.format(Locale.ROOT, " Final train loss: bio %.4g, exact %.4g.%s", tb, te, cmp);
  }

  /** The gaps where each run first reached the matched train loss (RunRecord#atTrainLoss). */
  private static String matched(List<RunRecord> bio, List<RunRecord> ex, double level) {
    double[] b = bio.stream().mapToDouble(r -> r.atTrainLoss(level)[0])
        .filter(Double::isFinite).toArray();
    double[] e = ex.stream().mapToDouble(r -> r.atTrainLoss(level)[0])
        .filter(Double::isFinite).toArray();
    if (b.length < 2 || e.length < 2) {
      return "";
    }
    double[] w = StudySummary.welch(b, e);
    double mb = Descriptive.mean(b);
    double me = Descriptive.mean(e);
    return String.format(Locale.ROOT, " At matched train loss %.4g (each run where it first"
        + " reached it, interpolated between checkpoints) the bio gap is %.4g against %.4g"
        + " (Welch p = %.3g): %s.", level, mb, me, w[2],
        verdict(mb > me, w[2]).equals("supported") ? "worse for the bio rules, significantly"
            : mb > me ? "worse for the bio rules, not significantly"
            : "not worse for the bio rules");
  }

  private static String sentence(String verdict, String what, String opposite, double p) {
    return switch (verdict) {
      case "supported" -> "This study supports the claim: it shows " + what
          + " at p < " + ALPHA + ".";
      case "direction only" -> "The direction agrees with the claim, but this study does not"
          + " show " + what + " significantly (p >= " + ALPHA + "); more seeds may settle it.";
      case "not supported" -> "This study does not support the claim: " + opposite
          + (p < ALPHA ? " (significantly, p < " + ALPHA + ")." : " (not significantly).");
      default -> "This study cannot test the claim.";
    };
  }

  private static long countAbove(List<RunRecord> rs) {
    return rs.stream().filter(r -> r.lambdaMax() > 2 / r.lr()).count();
  }

  private static String rules(List<RunRecord> rs) {
    return String.join(", ", rs.stream().map(RunRecord::rule).distinct().toList());
  }

  private static String perRule(List<RunRecord> bio, List<RunRecord> ex) {
    List<String> parts = new ArrayList<>();
    List<RunRecord> all = new ArrayList<>(ex);
    all.addAll(bio);
    for (String rule : all.stream().map(RunRecord::rule).distinct().toList()) {
      double[] g = StudySummary.values(all.stream().filter(r -> r.rule().equals(rule)).toList(),
          RunRecord::gap);
      parts.add(String.format(Locale.ROOT, "%s %.4g ± %.3g", rule, Descriptive.mean(g),
          g.length < 2 ? Double.NaN : Descriptive.standardDeviation(g)));
    }
    return String.join(", ", parts);
  }

  private static Map<String, Object> claim(String title, String verdict, String text) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("claim", title);
    m.put("verdict", verdict);
    m.put("text", text);
    return m;
  }
}
