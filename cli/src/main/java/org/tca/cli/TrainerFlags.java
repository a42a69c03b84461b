package org.tca.cli;

import java.util.Map;

/**
 * The command-line flags behind {@link org.tca.rules.train.TrainerConfig}'s settings, so that a
 * bad value is reported by the flag the user typed ("--iters must be >= 0, got -3") rather than by
 * the engine's name for the setting ("iterations must be ...").
 */
final class TrainerFlags {

  /** The engine's wording of a setting at the start of its message, and the flag that sets it. */
  private static final Map<String, String> FLAGS = Map.of(
      "iterations ", "--iters ",
      "batch size ", "--batch ",
      "checkpoints ", "--checkpoints ",
      "clip norm ", "--clip ",
      "threads ", "--threads ",
      "shards ", "--shards ",
      "evaluation batch ", "--eval-batch ",
      "evaluation sizes ", "--eval-train and --eval-test ");

  private TrainerFlags() {}

  /** A usage error for {@code e}, its message starting with the flag when it names a setting. */
  static UsageException usage(IllegalArgumentException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    for (Map.Entry<String, String> f : FLAGS.entrySet()) {
      if (m.startsWith(f.getKey())) {
        return new UsageException(f.getValue() + m.substring(f.getKey().length()));
      }
    }
    return new UsageException(m);
  }
}
