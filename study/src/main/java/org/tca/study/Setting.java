package org.tca.study;

import java.util.List;
import java.util.Objects;
import org.tca.rules.optim.LearningRateSchedule;

/**
 * One learning-rate setting of a study: a base rate eta and an optional late boost
 *
 * <pre>
 *   eta(i) = eta                      for i &lt; round(boostAt * iterations)
 *   eta(i) = eta * boostFactor        from there on      (boostAt NaN: no boost)
 * </pre>
 *
 * applied to the listed rules (empty: every rule of the study).
 *
 * @param id short identifier used in run ids (letters, digits, '.', '-')
 * @param label what legends and tables show
 * @param lr the base rate eta &gt; 0
 * @param boostAt the boost start as a fraction of the run's iterations in [0, 1], or NaN
 * @param boostFactor the multiplier of the boost (1 when there is none)
 * @param rules the rules that run at this setting (empty: all)
 */
public record Setting(String id, String label, double lr, double boostAt, double boostFactor,
    List<String> rules) {

  /** Validates the fields. */
  public Setting {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(label, "label");
    if (!id.matches("[A-Za-z0-9.\\-]+")) {
      throw new IllegalArgumentException("setting id '" + id
          + "' may hold only letters, digits, '.' and '-'");
    }
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("setting " + id + ": lr must be finite and > 0, got "
          + lr);
    }
    if (!Double.isNaN(boostAt) && !(boostAt >= 0 && boostAt <= 1)) {
      throw new IllegalArgumentException("setting " + id + ": boost_at must be in [0, 1], got "
          + boostAt);
    }
    if (!(boostFactor > 0) || Double.isInfinite(boostFactor)) {
      throw new IllegalArgumentException("setting " + id + ": boost_factor must be finite and > 0,"
          + " got " + boostFactor);
    }
    rules = List.copyOf(rules);
  }

  /** A constant rate, labelled "eta = LR". */
  public static Setting constant(double lr) {
    String s = format(lr);
    return new Setting("lr" + s, "η = " + s, lr, Double.NaN, 1, List.of());
  }

  /**
   * A setting with the default id and label: those of {@link #constant} without a boost (NaN
   * boostAt), else e.g. id "lr0.03-x4-from0.75", label "η = 0.03, ×4 from 75%".
   */
  public static Setting of(double lr, double boostAt, double boostFactor, List<String> rules) {
    Setting c = constant(lr);
    if (Double.isNaN(boostAt)) {
      return new Setting(c.id(), c.label(), lr, boostAt, boostFactor, rules);
    }
    return new Setting(c.id() + "-x" + format(boostFactor) + "-from" + format(boostAt),
        c.label() + ", ×" + format(boostFactor) + " from " + format(100 * boostAt) + "%", lr,
        boostAt, boostFactor, rules);
  }

  /** Whether a boost is configured. */
  public boolean boosted() {
    return !Double.isNaN(boostAt);
  }

  /** Whether {@code rule} runs at this setting. */
  public boolean applies(String rule) {
    return rules.isEmpty() || rules.contains(rule);
  }

  /** The schedule for a run of {@code iterations} iterations. */
  public LearningRateSchedule schedule(long iterations) {
    LearningRateSchedule s = LearningRateSchedule.constant(lr);
    return boosted() ? s.multipliedFrom(Math.round(boostAt * iterations), boostFactor) : s;
  }

  /**
   * A short number for ids and labels, letters, digits, '.' and '-' only: 0.01, 0.05, 1e-04,
   * 2500, 1e4, 1.25e6 (four significant digits from 1e-3; exponents never carry a '+').
   */
  static String format(double v) {
    double a = Math.abs(v);
    if (a != 0 && a < 1e-3) {
      return String.format(java.util.Locale.ROOT, "%.1e", v).replace(".0e", "e");
    }
    String g = String.format(java.util.Locale.ROOT, "%.4g", v); // "1.000e+04" from 9999.5
    int e = g.indexOf('e');
    return e < 0 ? trimZeros(g)
        : trimZeros(g.substring(0, e)) + "e" + Integer.parseInt(g.substring(e + 1));
  }

  private static String trimZeros(String s) {
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }
}
