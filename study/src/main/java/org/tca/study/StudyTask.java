package org.tca.study;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One task of a study grid: a task name ({@code Tasks}) with its parameters, under an id that
 * names its runs ({@code ID__RULE__SETTING__sSEED}) and its rows, tables and figures. A study
 * may hold the same task twice with different parameters (say two training-set sizes) under two
 * ids.
 *
 * @param id short identifier (letters, digits, '.', '-'); by default the task name
 * @param task the task name, e.g. "delayed-xor"
 * @param params the task parameters as {@code Tasks.create} takes them
 * @param tau the model's leak time constant on this task, overriding the study's (a =
 *     exp(-1/tau); NaN: a = 0); null: the study's
 */
public record StudyTask(String id, String task, Map<String, String> params, Double tau) {

  /** Validates the id and tau and copies the parameters (keeping their order). */
  public StudyTask {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(task, "task");
    if (!id.matches("[A-Za-z0-9.\\-]+")) {
      throw new IllegalArgumentException("tasks: id '" + id
          + "' may hold only letters, digits, '.' and '-'");
    }
    if (tau != null && !tau.isNaN() && !(tau > 0 && tau < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("tasks: task " + id + ": tau must be > 0 (or null for"
          + " a = 0), got " + tau);
    }
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** A task at the study's tau. */
  public StudyTask(String id, String task, Map<String, String> params) {
    this(id, task, params, null);
  }

  /** The task {@code task} with {@code params}, under its own name. */
  public static StudyTask of(String task, Map<String, String> params) {
    return new StudyTask(task, task, params);
  }

  /** This task with {@code more} parameters set (added or replaced). */
  public StudyTask withParams(Map<String, String> more) {
    Map<String, String> p = new LinkedHashMap<>(params);
    p.putAll(more);
    return new StudyTask(id, task, p, tau);
  }

  /** This task at leak time constant {@code v} (NaN: a = 0; null: the study's). */
  public StudyTask withTau(Double v) {
    return new StudyTask(id, task, params, v);
  }

  /** "id" when it is the task name, else "id (task)". */
  public String label() {
    return id.equals(task) ? id : id + " (" + task + ")";
  }
}
