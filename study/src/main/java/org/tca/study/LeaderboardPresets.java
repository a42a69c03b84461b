package org.tca.study;

import java.util.List;
import java.util.Map;

/**
 * The built-in leaderboards ({@code tca leaderboard --preset NAME}): studies of rules x tasks x
 * seeds at one learning rate, whose runs {@link Leaderboard} ranks.
 *
 * <ul>
 *   <li>{@code smoke}: three short tasks (delayed XOR T = 40, evidence accumulation T = 41,
 *       pattern generation T = 50) x six rules (bptt, tbptt, eprop, rflo, mdgl, uoro) x 2
 *       seeds, N = 32, Adam 5e-3, B = 16, 200 iterations: checks the machinery end to end in
 *       well under 3 minutes on 2 cores (runs in CI);
 *   <li>{@code standard}: the one to publish: the same tasks at longer delays and the seven
 *       cognitive tasks (NeuroGym's definitions, default timing), every rule, 5 seeds, N = 32,
 *       1,000 iterations;
 *   <li>{@code tiny}: two tasks x three rules x 2 seeds at N = 8, 20 iterations: seconds, for
 *       tests of the machinery.
 * </ul>
 *
 * Adding a task or a rule is one line in {@link #STANDARD_TASKS} / {@link #STANDARD_RULES} (or
 * the smoke lists).
 */
public final class LeaderboardPresets {

  /** The preset names. */
  public static final List<String> NAMES = List.of("smoke", "standard", "tiny");

  /** The smoke tasks, one per line. */
  static final List<StudyTask> SMOKE_TASKS = List.of(
      task("delayed-xor", "delayed-xor", "cue", "10", "delay", "20", "std", "3", "amplitude",
          "1", "noise", "0.3", "n-train", "200", "n-test", "200"),
      task("evidence", "evidence-accumulation", "cues", "3", "cue", "5", "interval", "8",
          "delay", "8", "recall", "9", "n-train", "200", "n-test", "200"),
      task("pattern", "pattern-generation", "steps", "50", "inputs", "20", "dt", "10",
          "n-train", "32", "n-test", "32"));

  /** The smoke rules, one per line. */
  static final List<String> SMOKE_RULES = List.of(
      "bptt",
      "tbptt",
      "eprop",
      "rflo",
      "mdgl",
      "uoro");

  /** The standard tasks, one per line. */
  static final List<StudyTask> STANDARD_TASKS = List.of(
      task("delayed-xor", "delayed-xor", "cue", "10", "delay", "40", "std", "3", "amplitude",
          "1", "noise", "0.3", "n-train", "500", "n-test", "500", "n-validation", "128"),
      task("evidence", "evidence-accumulation", "cues", "5", "cue", "5", "interval", "10",
          "delay", "20", "recall", "10", "n-train", "500", "n-test", "500", "n-validation",
          "128"),
      task("pattern", "pattern-generation", "steps", "100", "inputs", "50", "dt", "10",
          "n-train", "64", "n-test", "64", "n-validation", "32"),
      cognitive("perceptual-decision-making"),
      cognitive("delay-match-sample"),
      cognitive("context-decision-making"),
      cognitive("parametric-working-memory"),
      cognitive("go-no-go"),
      cognitive("flip-flop"),
      cognitive("ready-set-go"));

  /** The standard rules (every rule), one per line. */
  static final List<String> STANDARD_RULES = List.of(
      "bptt",
      "tbptt",
      "rtrl",
      "uoro",
      "kf-rtrl",
      "r-kf-rtrl",
      "snap-1",
      "snap-2",
      "eprop",
      "eprop-random",
      "rflo",
      "mdgl",
      "mdgl-celltype",
      "modprop");

  private LeaderboardPresets() {}

  /**
   * The leaderboard {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static StudySpec create(String name) {
    return switch (name) {
      case "smoke" -> common(SMOKE_TASKS, SMOKE_RULES).name("leaderboard-smoke")
          .description("Leaderboard smoke test: three short tasks x six rules x 2 seeds.")
          .seedCount(2).iterations(200).checkpoints(3).heldOut(32).alignmentBatch(16)
          .curvatureMaxIterations(20).build();
      case "standard" -> common(STANDARD_TASKS, STANDARD_RULES).name("leaderboard-standard")
          .description("Leaderboard: every rule on ten tasks x 5 seeds.")
          .seedCount(5).iterations(1000).checkpoints(6).heldOut(128).alignmentBatch(32)
          .curvatureMaxIterations(50).build();
      case "tiny" -> common(List.of(SMOKE_TASKS.get(0), SMOKE_TASKS.get(2)),
              List.of("bptt", "eprop", "rflo")).name("leaderboard-tiny")
          .description("Leaderboard machinery check: two tasks x three rules x 2 seeds.")
          .hidden(8).seedCount(2).iterations(20).checkpoints(2).heldOut(16).alignmentBatch(8)
          .curvatureMaxIterations(10).build();
      default -> throw new IllegalArgumentException("unknown leaderboard preset '" + name
          + "'; known presets: " + String.join(", ", NAMES));
    };
  }

  /** What every leaderboard shares: N = 32, tau = 10, tanh, Adam 5e-3, no L2, B = 16. */
  private static StudySpecBuilder common(List<StudyTask> tasks, List<String> rules) {
    return new StudySpecBuilder().tasks(tasks).rules(rules).hidden(32).tau(10).l2(0)
        .activation("tanh").optimizer("adam").learningRates(List.of(5e-3)).batch(16)
        .window(10);
  }

  /** A cognitive task (NeuroGym's definitions) at its default timing, 500 + 500 trials. */
  private static StudyTask cognitive(String name) {
    return task(name, name, "n-train", "500", "n-test", "500", "n-validation", "128");
  }

  private static StudyTask task(String id, String name, String... params) {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    for (int i = 0; i < params.length; i += 2) {
      p.put(params[i], params[i + 1]);
    }
    return new StudyTask(id, name, p);
  }
}
