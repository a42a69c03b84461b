package org.tca.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training-set draw as an axis of a study (config key {@code draws}): each task is run on
 * several draws d of its training set, as one study task per draw with id {@code ID.dD} and the
 * task's draw parameter set to d ({@link #parameter}: {@code draw} for smnist, whose draw d
 * picks another n-train images, {@code seed} for the synthetic tasks, whose dataset seed it is).
 * A task id of that form whose draw parameter equals D is read back as draw D of task ID.
 */
public final class Draws {

  private static final Pattern ID = Pattern.compile("(.+)\\.d(\\d+)");

  private Draws() {}

  /** The parameter of task {@code task} that selects its training-set draw. */
  public static String parameter(String task) {
    return task.equals("smnist") ? "draw" : "seed";
  }

  /** Each of {@code tasks} as one task per draw, task-major (ids {@code ID.dD}). */
  static List<StudyTask> expand(List<StudyTask> tasks, List<Long> draws) {
    List<StudyTask> out = new ArrayList<>();
    for (StudyTask t : tasks) {
      for (long d : draws) {
        Map<String, String> p = new LinkedHashMap<>(t.params());
        p.put(parameter(t.task()), Long.toString(d));
        out.add(new StudyTask(t.id() + ".d" + d, t.task(), p, t.tau()));
      }
    }
    return out;
  }

  /** The task id without its draw ({@code ID} of {@code ID.dD}); a plain id is its own. */
  public static String base(String id) {
    Matcher m = ID.matcher(id);
    return m.matches() ? m.group(1) : id;
  }

  /** Whether {@code id} names a draw ({@code ID.dD}). */
  public static boolean isDraw(String id) {
    return ID.matcher(id).matches();
  }

  /**
   * Tasks that {@link #expand} made, split back into the tasks and the draws.
   *
   * @param tasks the tasks before expansion
   * @param draws the draws; empty when the tasks are no expansion
   */
  record Split(List<StudyTask> tasks, List<Long> draws) {}

  /** {@code tasks} split into tasks and draws, or kept as they are with no draws. */
  static Split split(List<StudyTask> tasks) {
    Map<String, List<StudyTask>> byBase = new LinkedHashMap<>();
    for (StudyTask t : tasks) {
      Matcher m = ID.matcher(t.id());
      if (!m.matches() || !m.group(2).equals(t.params().get(parameter(t.task())))) {
        return new Split(tasks, List.of());
      }
      byBase.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(t);
    }
    List<StudyTask> base = new ArrayList<>();
    List<Long> draws = null;
    for (Map.Entry<String, List<StudyTask>> e : byBase.entrySet()) {
      StudyTask first = e.getValue().get(0);
      Map<String, String> p = new LinkedHashMap<>(first.params());
      p.remove(parameter(first.task()));
      StudyTask t = new StudyTask(e.getKey(), first.task(), p, first.tau());
      List<Long> d = e.getValue().stream()
          .map(x -> Long.parseLong(x.params().get(parameter(x.task())))).toList();
      if (draws != null && !draws.equals(d) || !expand(List.of(t), d).equals(e.getValue())) {
        return new Split(tasks, List.of());
      }
      draws = d;
      base.add(t);
    }
    return draws == null ? new Split(tasks, List.of()) : new Split(base, draws);
  }
}
