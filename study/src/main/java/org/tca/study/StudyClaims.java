package org.tca.study;

import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tca.numerics.stats.Descriptive;
import org.tca.numerics.stats.WelchResult;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.RuleFamily;

/**
 * Whether a study's numbers on one task support the claims of Liu et al. (2022)
 * (docs/science.md, section "The paper's claims as tca tests them"), each as a verdict and a
 * paragraph built from the numbers, at significance level
 * {@value #ALPHA} ({@link #combine} puts several tasks' verdicts together, {@link DrawClaims}
 * several training-set draws'):
 *
 * <ol>
 *   <li>bio rules reach a worse (and more variable) gap than exact rules: Welch t-test of the
 *       mean final gap, bio ({@link RuleFamily#APPROXIMATE}) vs exact ({@link RuleFamily#EXACT}),
 *       baseline setting, usable runs; sd compared; and, as a check free of how far each rule
 *       fitted its training set, the same comparison at the {@linkplain #matchedLevel matched
 *       train loss};
 *   <li>the gap correlates with lambda_max (Pearson and Spearman over all usable runs, both
 *       positive, the smaller p Bonferroni-corrected for the two), and bio rules end at higher
 *       lambda_max (Welch t-test, baseline setting);
 *   <li>(only with two or more settings) remedies: for each bio rule, gap and lambda_max at every
 *       other setting against its baseline setting (Welch t-tests);
 *   <li>the stability edge: after the first {@value #EARLY} of training, exact rules'
 *       lambda_max stays at or below 2/eta ({@link #fractionAboveEdge} &lt;= {@value
 *       #EXACT_MOST} per rule) while bio rules' exceeds it (&gt;= {@value #BIO_LEAST}), baseline
 *       setting; "partly supported" when only one family behaves so.
 * </ol>
 *
 * When a rule has not fitted its training set ({@link UnderFit}) claim 1's verdict is taken at the
 * matched train loss (not testable when there is none); when the runs trained to a loss
 * ({@link StudySpec#untilTrainLoss}) claim 1 leaves out those that stopped at their cap without
 * reaching it.
 *
 * Verdicts: {@link Verdict}; claim 1 is "partly supported" when the bio gap is worse but its sd
 * is not larger. Unbiased estimates ({@link RuleFamily#UNBIASED_ESTIMATE}: uoro, kf-rtrl, r-kf-rtrl) are in
 * neither group, since the theory concerns biased truncations of the gradient; every claim's
 * text says so when the runs include them.
 */
public final class StudyClaims {

  /** Significance level. */
  public static final double ALPHA = 0.05;

  private StudyClaims() {}

  /** The claims of one task's runs. */
  public static List<Claim> evaluate(List<RunRecord> runs) {
    List<Claim> out = new ArrayList<>();
    List<RunRecord> use = StudySummary.usable(runs);
    String base = runs.isEmpty() ? "" : runs.get(0).setting();
    List<RunRecord> baseUse = use.stream().filter(r -> r.setting().equals(base)).toList();
    List<RunRecord> bio = inFamily(baseUse, RuleFamily.APPROXIMATE);
    List<RunRecord> ex = inFamily(baseUse, RuleFamily.EXACT);
    out.add(claim1(bio, ex, runs, matchedLevel(use)));
    boolean spiking = runs.stream().anyMatch(RunRecord::spiking);
    out.add(spiking ? noCurvature(CLAIM2) : claim2(use, bio, ex));
    if (runs.stream().map(RunRecord::setting).distinct().count() > 1) {
      out.add(spiking ? noCurvature(CLAIM3) : claim3(use, base));
    }
    out.add(spiking ? noCurvature(CLAIM4) : claim4(bio, ex));
    String neither = neither(runs);
    return neither.isEmpty() ? out : out.stream()
        .map(c -> new Claim(c.title(), c.verdict(), c.text() + neither)).toList();
  }

  private static final String CLAIM2 =
      "2. The gap correlates with curvature, and bio rules sit in sharper regions";
  private static final String CLAIM3 =
      "3. Remedies (larger or boosted learning rates) lower curvature and the gap";
  private static final String CLAIM4 = "4. After the first 10% of training exact rules stay at"
      + " or below 2/eta, bio rules exceed it";

  /** The curvature line of a spiking study's report. */
  public static final String NO_CURVATURE_LINE = "curvature: not defined for spiking cells (the"
      + " spike function H is a step, so the loss has no Hessian and tca measures no"
      + " lambda_max)";

  /** Why claims on lambda_max cannot be tested on spiking runs. */
  public static final String NO_CURVATURE = NO_CURVATURE_LINE + "; this claim needs lambda_max,"
      + " so these runs cannot test it.";

  private static Claim noCurvature(String title) {
    return new Claim(title, Verdict.NOT_TESTABLE, NO_CURVATURE);
  }

  /** The runs of {@code family}'s rules. */
  private static List<RunRecord> inFamily(List<RunRecord> runs, RuleFamily family) {
    return runs.stream().filter(r -> FloatRules.family(r.rule()) == family).toList();
  }

  /** The note on unbiased estimates among {@code runs}, or "". */
  private static String neither(List<RunRecord> runs) {
    List<String> ids = inFamily(runs, RuleFamily.UNBIASED_ESTIMATE).stream().map(RunRecord::rule)
        .distinct().toList();
    return ids.isEmpty() ? "" : " The unbiased estimates (" + String.join(", ", ids) + ") are in"
        + " neither group: the claims concern biased approximations of the gradient.";
  }

  /**
   * The claims of a study with several tasks from each task's {@link #evaluate} (task id to
   * claims): per claim, the common verdict when every task that could test it agrees, else
   * "mixed (supported in a of k tasks)"; the text gives each task's verdict and paragraph.
   */
  public static List<Claim> combine(Map<String, List<Claim>> perTask) {
    record TaskClaim(String task, Claim claim) {}
    Map<String, List<TaskClaim>> byClaim = new LinkedHashMap<>();
    perTask.forEach((task, claims) -> claims.forEach(c -> byClaim
        .computeIfAbsent(c.title(), k -> new ArrayList<>()).add(new TaskClaim(task, c))));
    List<Claim> out = new ArrayList<>();
    for (Map.Entry<String, List<TaskClaim>> e : byClaim.entrySet()) {
      List<TaskClaim> v = e.getValue();
      List<ClaimVerdict> tested = v.stream().map(x -> x.claim().verdict())
          .filter(x -> x != Verdict.NOT_TESTABLE).toList();
      int supported = (int) tested.stream().filter(ClaimVerdict::supports).count();
      ClaimVerdict verdict = tested.isEmpty() ? Verdict.NOT_TESTABLE
          : tested.stream().distinct().count() == 1 ? tested.get(0)
          : new ClaimVerdict.Mixed(supported, tested.size());
      StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "Tested on %d of %d"
          + " tasks, supported on %d.", tested.size(), v.size(), supported));
      for (TaskClaim x : v) {
        text.append(" Task ").append(x.task()).append(": ").append(x.claim().verdict().text())
            .append(". ").append(x.claim().text());
      }
      out.add(new Claim(e.getKey(), verdict, text.toString()));
    }
    return out;
  }

  /**
   * The bio and exact gaps that decide claim 1's verdict on one task's runs: those of the usable
   * runs at the baseline setting that did not miss a train-loss target, final, or where each
   * first reached the {@linkplain #matchedLevel matched train loss} when a rule under-fits
   * ({@link UnderFit}). {@link DrawClaims} combines them over draws.
   */
  static double[][] claim1Gaps(List<RunRecord> runs) {
    List<RunRecord> use = StudySummary.usable(runs);
    String base = runs.isEmpty() ? "" : runs.get(0).setting();
    List<RunRecord> baseUse = use.stream().filter(r -> r.setting().equals(base)).toList();
    List<RunRecord> bio = inFamily(baseUse, RuleFamily.APPROXIMATE);
    List<RunRecord> ex = inFamily(baseUse, RuleFamily.EXACT);
    List<RunRecord> both = new ArrayList<>(ex);
    both.addAll(bio);
    boolean under = !UnderFit.find(both).isEmpty();
    bio = bio.stream().filter(r -> !r.missedTarget()).toList();
    ex = ex.stream().filter(r -> !r.missedTarget()).toList();
    double level = matchedLevel(use);
    return under ? new double[][] {atLevel(bio, level), atLevel(ex, level)}
        : new double[][] {StudySummary.values(bio, RunRecord::gap),
            StudySummary.values(ex, RunRecord::gap)};
  }

  /** The finite gaps of {@code runs} where each first reached train loss {@code level}. */
  private static double[] atLevel(List<RunRecord> runs, double level) {
    return runs.stream().mapToDouble(r -> r.atTrainLoss(level)[0]).filter(Double::isFinite)
        .toArray();
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

  private static Claim claim1(List<RunRecord> bio, List<RunRecord> ex,
      List<RunRecord> all, double level) {
    String title = "1. Bio-plausible rules reach a worse and more variable generalization gap";
    long diverged = all.stream().filter(RunRecord::diverged).count();
    long stalled = all.stream().filter(RunRecord::stalled).count();
    String div = diverged + stalled == 0 ? "" : String.format(Locale.ROOT,
        " %d diverged and %d stalled run(s) are left out of every mean.", diverged, stalled);
    List<RunRecord> both = new ArrayList<>(ex);
    both.addAll(bio);
    List<UnderFit> under = UnderFit.find(both);
    String target = "";
    if (all.stream().anyMatch(RunRecord::hasTarget)) {
      List<String> missed = both.stream().filter(RunRecord::missedTarget).map(RunRecord::id)
          .toList();
      bio = bio.stream().filter(r -> !r.missedTarget()).toList();
      ex = ex.stream().filter(r -> !r.missedTarget()).toList();
      target = String.format(Locale.ROOT, " The runs trained to train loss %.4g, so their final"
          + " gaps are at the same train loss by construction; %s", all.get(0).targetTrainLoss(),
          missed.isEmpty() ? "every run reached it." : missed.size() + " run(s) stopped at their"
          + " iteration cap without reaching it and are left out of this comparison: "
          + String.join(", ", missed) + ".");
    }
    double[] b = StudySummary.values(bio, RunRecord::gap);
    double[] e = StudySummary.values(ex, RunRecord::gap);
    if (b.length < 2 || e.length < 2) {
      return new Claim(title, Verdict.NOT_TESTABLE, "This study has " + b.length + " usable bio-rule run(s)"
          + " and " + e.length + " usable exact-gradient run(s) at the baseline setting; at least"
          + " two of each are needed." + div + target);
    }
    WelchResult w = WelchResult.test(b, e);
    double mb = Descriptive.mean(b);
    double me = Descriptive.mean(e);
    double sb = Descriptive.standardDeviation(b);
    double se = Descriptive.standardDeviation(e);
    Verdict verdict = Verdict.of(mb > me, w.p());
    String variability = "";
    if (verdict != Verdict.NOT_SUPPORTED && !(sb > se)) {
      verdict = Verdict.PARTLY_SUPPORTED;
      variability = " The gap is worse for the bio rules but not more variable, so only the first"
          + " half of the claim holds here.";
    }
    String text = String.format(Locale.ROOT, "At the baseline learning rate the bio rules (%s; n ="
        + " %d) end with a mean gap of %.4g (sd %.3g) against %.4g (sd %.3g) for the exact-"
        + "gradient rules (%s; n = %d): a difference of %+.3g, Welch t = %.2f, df = %.1f, p = %.3g."
        + " The bio gaps are %s variable (sd ratio %.2f). Per rule: %s.%s %s",
        rules(bio), b.length, mb, sb, me, se, rules(ex), e.length, mb - me, w.t(), w.df(), w.p(),
        sb > se ? "more" : "less", sb / se, perRule(bio, ex), div,
        sentence(Verdict.of(mb > me, w.p()), "a worse gap for the bio rules",
            "the bio rules' mean gap is smaller", w.p())) + variability + target
        + fit(bio, ex, mb - me);
    Matched m = matched(bio, ex, level);
    text += m.text();
    if (!under.isEmpty()) {
      StringBuilder u = new StringBuilder(" Under-fit:");
      under.forEach(x -> u.append(' ').append(x.sentence()));
      u.append(" A network that has not fitted its training set has a small gap because its train"
          + " loss is high, not because it generalizes, so the final gaps above are not"
          + " comparable and do not decide this claim; ");
      u.append(m.verdict() == Verdict.NOT_TESTABLE ? "there is no comparison at a matched train"
          + " loss (fewer than two runs of each group reached a common level), so this study"
          + " cannot test the claim." : "the verdict is the comparison at the matched train"
          + " loss.");
      verdict = m.verdict();
      text += u;
    }
    return new Claim(title, verdict, text);
  }

  private static Claim claim2(List<RunRecord> use, List<RunRecord> bio,
      List<RunRecord> ex) {
    String title = CLAIM2;
    if (use.size() < 3) {
      return new Claim(title, Verdict.NOT_TESTABLE, "Only " + use.size() + " usable run(s); a correlation"
          + " needs at least three.");
    }
    GapCorrelation c = GapCorrelation.of(use);
    double pr = c.pearsonR();
    double pp = c.pearsonP();
    double sr = c.spearmanR();
    double sp = c.spearmanP();
    boolean positive = pr > 0 && sr > 0;
    double p = Math.min(1, 2 * Math.min(pp, sp)); // Bonferroni over the two tests
    Verdict correlation = Double.isNaN(p) ? Verdict.NOT_TESTABLE : Verdict.of(positive, p);
    ClaimVerdict verdict = correlation;
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "Across all %d usable runs the"
        + " final gap against the final lambda_max has Pearson r = %.3f (p = %.3g) and Spearman"
        + " rho = %.3f (p = %.3g); the smaller p, Bonferroni-corrected for the two tests, is"
        + " %.3g. %s", use.size(), pr, pp, sr, sp, p,
        sentence(correlation, "a positive correlation", "the correlation is negative", p)));
    double[] b = StudySummary.values(bio, RunRecord::lambdaMax);
    double[] e = StudySummary.values(ex, RunRecord::lambdaMax);
    if (b.length >= 2 && e.length >= 2) {
      WelchResult w = WelchResult.test(b, e);
      double mb = Descriptive.mean(b);
      double me = Descriptive.mean(e);
      Verdict v2 = Verdict.of(mb > me, w.p());
      t.append(String.format(Locale.ROOT, " At the baseline rate the bio rules end at a mean"
          + " lambda_max of %.4g against %.4g for the exact rules (ratio %.2f, Welch p = %.3g);"
          + " %d of %d bio runs and %d of %d exact runs end above 2/eta. %s", mb, me, mb / me,
          w.p(), countAbove(bio), bio.size(), countAbove(ex), ex.size(),
          sentence(v2, "higher curvature for the bio rules",
              "the bio rules end at lower lambda_max", w.p())));
      if (v2 != correlation) {
        verdict = new ClaimVerdict.Split(correlation, v2);
      }
    }
    return new Claim(title, verdict, t.toString());
  }

  private static Claim claim3(List<RunRecord> use, String base) {
    String title = CLAIM3;
    List<String> lines = new ArrayList<>();
    int comparisons = 0;
    int lowerGap = 0;
    int significant = 0;
    int lowerLam = 0;
    for (String rule : use.stream().map(RunRecord::rule).distinct().toList()) {
      if (FloatRules.family(rule) != RuleFamily.APPROXIMATE) {
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
        WelchResult wg = WelchResult.test(go, gb);
        WelchResult wl = WelchResult.test(lo, lb);
        comparisons++;
        boolean g = Descriptive.mean(go) < Descriptive.mean(gb);
        lowerGap += g ? 1 : 0;
        significant += g && wg.p() < ALPHA ? 1 : 0;
        lowerLam += Descriptive.mean(lo) < Descriptive.mean(lb) ? 1 : 0;
        lines.add(String.format(Locale.ROOT, "%s at %s: gap %.4g -> %.4g (p = %.3g), lambda_max"
            + " %.4g -> %.4g (p = %.3g)", rule, o.get(0).settingLabel(), Descriptive.mean(gb),
            Descriptive.mean(go), wg.p(), Descriptive.mean(lb), Descriptive.mean(lo), wl.p()));
      }
    }
    if (comparisons == 0) {
      return new Claim(title, Verdict.NOT_TESTABLE, "No bio rule has two or more usable runs at both its"
          + " baseline and another setting.");
    }
    Verdict verdict = lowerGap * 2 > comparisons && lowerLam * 2 > comparisons
        ? (significant > 0 ? Verdict.SUPPORTED : Verdict.DIRECTION_ONLY) : Verdict.NOT_SUPPORTED;
    String text = String.format(Locale.ROOT, "Against each bio rule's baseline setting: %s. The"
        + " gap is lower in %d of %d comparisons (%d significantly) and lambda_max in %d of %d."
        + " %s", String.join("; ", lines), lowerGap, comparisons, significant, lowerLam,
        comparisons, sentence(verdict, "that the remedies help",
            "the remedies do not lower the gap and lambda_max", 1));
    return new Claim(title, verdict, text);
  }

  /**
   * The share of a run's checkpoints after the first {@value #EARLY} of its iterations at which
   * lambda_max &gt; 2/eta (eta the rate at that checkpoint); NaN without such checkpoints.
   */
  public static double fractionAboveEdge(RunRecord r) {
    int n = 0;
    int above = 0;
    for (org.tca.rules.train.TrajectoryPoint p : r.trajectory()) {
      double lam = p.probes().getOrDefault("lambda_max", Double.NaN);
      double edge = p.probes().getOrDefault("two_over_eta", Double.NaN);
      if (p.iteration() > 0 && p.iteration() >= EARLY * r.iterationsDone()
          && Double.isFinite(lam) && Double.isFinite(edge)) {
        n++;
        above += lam > edge ? 1 : 0;
      }
    }
    return n == 0 ? Double.NaN : (double) above / n;
  }

  /** The share of training after which claim 4 looks at the checkpoints. */
  public static final double EARLY = 0.1;

  /** Claim 4: an exact rule "stays at or below" 2/eta when at most this share is above. */
  public static final double EXACT_MOST = 0.1;

  /** Claim 4: a bio rule "exceeds" 2/eta when at least this share is above. */
  public static final double BIO_LEAST = 0.5;

  private static Claim claim4(List<RunRecord> bio, List<RunRecord> ex) {
    String title = CLAIM4;
    List<RunRecord> both = new ArrayList<>(ex);
    both.addAll(bio);
    List<String> parts = new ArrayList<>();
    boolean exactBelow = true;
    boolean bioAbove = true;
    int exactRules = 0;
    int bioRules = 0;
    for (String rule : both.stream().map(RunRecord::rule).distinct().toList()) {
      double[] f = StudySummary.values(both.stream().filter(r -> r.rule().equals(rule)).toList(),
          StudyClaims::fractionAboveEdge);
      if (f.length == 0) {
        continue;
      }
      double m = Descriptive.mean(f);
      parts.add(String.format(Locale.ROOT, "%s %.0f%% (%d run%s)", rule, 100 * m, f.length,
          f.length == 1 ? "" : "s"));
      if (FloatRules.family(rule) == RuleFamily.EXACT) {
        exactRules++;
        exactBelow &= m <= EXACT_MOST;
      } else {
        bioRules++;
        bioAbove &= m >= BIO_LEAST;
      }
    }
    if (exactRules == 0 || bioRules == 0) {
      return new Claim(title, Verdict.NOT_TESTABLE, "This study has no usable exact-gradient or no"
          + " usable bio-rule run with a checkpoint after the first 10% of training at the"
          + " baseline setting.");
    }
    Verdict verdict = exactBelow && bioAbove ? Verdict.SUPPORTED
        : exactBelow || bioAbove ? Verdict.PARTLY_SUPPORTED : Verdict.NOT_SUPPORTED;
    String text = String.format(Locale.ROOT, "The share of checkpoints after the first %.0f%% of"
        + " training at which lambda_max is above 2/eta, mean over each rule's runs at the"
        + " baseline setting: %s. The claim holds for a rule family when every exact rule is"
        + " above 2/eta at no more than %.0f%% of them and every bio rule at %.0f%% or more: the"
        + " exact rules %s, the bio rules %s. See the figure of lambda_max over training, with"
        + " its 2/eta line.", 100 * EARLY, String.join(", ", parts), 100 * EXACT_MOST,
        100 * BIO_LEAST, exactBelow ? "stay at or below it" : "do not stay at or below it",
        bioAbove ? "exceed it" : "do not exceed it");
    return new Claim(title, verdict, text);
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

  /** A comparison at the matched train loss: its verdict (NOT_TESTABLE: none) and text. */
  private record Matched(Verdict verdict, String text) {}

  /** The gaps where each run first reached the matched train loss (RunRecord#atTrainLoss). */
  private static Matched matched(List<RunRecord> bio, List<RunRecord> ex, double level) {
    double[] b = atLevel(bio, level);
    double[] e = atLevel(ex, level);
    if (b.length < 2 || e.length < 2) {
      return new Matched(Verdict.NOT_TESTABLE, "");
    }
    WelchResult w = WelchResult.test(b, e);
    double mb = Descriptive.mean(b);
    double me = Descriptive.mean(e);
    Verdict v = Verdict.of(mb > me, w.p());
    return new Matched(v, String.format(Locale.ROOT, " At matched train loss %.4g (each run where"
        + " it first reached it, interpolated between checkpoints) the bio gap is %.4g against"
        + " %.4g (Welch p = %.3g): %s.", level, mb, me, w.p(),
        v == Verdict.SUPPORTED ? "worse for the bio rules, significantly"
            : mb > me ? "worse for the bio rules, not significantly"
            : "not worse for the bio rules"));
  }

  private static String sentence(Verdict verdict, String what, String opposite, double p) {
    return switch (verdict) {
      case SUPPORTED -> "This study supports the claim: it shows " + what
          + " at p < " + ALPHA + ".";
      case DIRECTION_ONLY -> "The direction agrees with the claim, but this study does not"
          + " show " + what + " significantly (p >= " + ALPHA + "); more seeds may settle it.";
      case NOT_SUPPORTED -> "This study does not support the claim: " + opposite
          + (p < ALPHA ? " (significantly, p < " + ALPHA + ")." : " (not significantly).");
      case PARTLY_SUPPORTED, NOT_TESTABLE -> "This study cannot test the claim.";
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
}
