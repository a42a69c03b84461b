package org.tca.rules.study;

/**
 * One cell of a study grid: rule x setting x seed, with its id (the stem of its files).
 *
 * @param id {@code RULE__SETTING__sSEED}
 * @param rule the learning rule
 * @param setting the learning-rate setting
 * @param seed the run seed (initial weights, minibatch order)
 * @param iterations the run's iterations
 */
public record RunPlan(String id, String rule, Setting setting, long seed, long iterations) {

  /** The plan of a rule at a setting and seed. */
  public static RunPlan of(String rule, Setting setting, long seed, long iterations) {
    return new RunPlan(rule + "__" + setting.id() + "__s" + seed, rule, setting, seed,
        iterations);
  }
}
