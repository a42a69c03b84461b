package org.tca.cli;

/**
 * Per-task defaults for the options a user leaves out: the paper's settings where it has them
 * (sMNIST: N = 128, B = 256, SGD at 1e-2, a = 0, 10,000 iterations; delayed XOR: N = 120, B = 32,
 * Adam at 5e-4, tau = 100 steps), e-prop's for the others; for the cognitive tasks the settings
 * their learning tests pass with (N = 32, B = 32, Adam at 1e-2, tau = 5 steps; 500 iterations,
 * 1500 for ready-set-go).
 *
 * @param hidden N
 * @param batch B
 * @param optimizer optimizer kind
 * @param learningRate eta
 * @param tau time constant in steps (dt = 1), or NaN for a = 0
 * @param iterations training iterations
 */
record TaskDefaults(int hidden, int batch, String optimizer, double learningRate, double tau,
    long iterations) {

  /** The defaults of a task (any name the task catalogue knows). */
  static TaskDefaults of(String task) {
    return switch (task) {
      case "smnist" -> new TaskDefaults(128, 256, "sgd", 1e-2, Double.NaN, 10_000);
      case "delayed-xor" -> new TaskDefaults(120, 32, "adam", 5e-4, 100, 2_000);
      case "pattern-generation" -> new TaskDefaults(100, 1, "adam", 3e-3, 20, 1_000);
      case "evidence-accumulation" -> new TaskDefaults(100, 64, "adam", 5e-3, 100, 1_000);
      case "perceptual-decision-making", "delay-match-sample", "context-decision-making",
          "parametric-working-memory", "go-no-go", "flip-flop" ->
          new TaskDefaults(32, 32, "adam", 1e-2, 5, 500);
      case "ready-set-go" -> new TaskDefaults(32, 32, "adam", 1e-2, 5, 1_500);
      default -> new TaskDefaults(64, 32, "adam", 1e-3, Double.NaN, 1_000);
    };
  }
}
