package org.tca.study;

/**
 * One cell of a study grid: task x rule x setting x seed, with its id (the stem of its files).
 *
 * @param id {@code TASK__RULE__SETTING__sSEED}
 * @param task the task
 * @param rule the learning rule
 * @param setting the learning-rate setting
 * @param seed the run seed (initial weights, minibatch order)
 * @param iterations the run's iterations
 */
public record RunPlan(String id, StudyTask task, String rule, Setting setting, long seed,
    long iterations) {

  /** The plan of a rule on a task at a setting and seed. */
  public static RunPlan of(StudyTask task, String rule, Setting setting, long seed,
      long iterations) {
    return new RunPlan(task.id() + "__" + rule + "__" + setting.id() + "__s" + seed, task, rule,
        setting, seed, iterations);
  }
}
