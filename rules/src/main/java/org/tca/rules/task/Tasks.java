package org.tca.rules.task;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The task catalogue by command-line name:
 *
 * <ul>
 *   <li>{@code smnist}: row-wise sequential MNIST from IDX files (parameter {@code data});
 *   <li>{@code delayed-xor}: delayed XOR / match of two Gaussian-bump cues;
 *   <li>{@code pattern-generation}: sum of sines from frozen Poisson input, MSE;
 *   <li>{@code evidence-accumulation}: majority of 7 left/right cues after a delay;
 *   <li>the NeuroGym-style cognitive tasks, each with a fixation period and a response window:
 *       {@code perceptual-decision-making}, {@code delay-match-sample},
 *       {@code context-decision-making}, {@code parametric-working-memory}, {@code go-no-go}
 *       (classification) and {@code flip-flop}, {@code ready-set-go} (regression).
 * </ul>
 *
 * Parameters come as a {@code name -> value} map (the command line's task flags, without the
 * leading dashes); {@link #parameters} lists each task's names, defaults and meanings. Each
 * task is described in docs/science.md, section "Tasks".
 */
public final class Tasks {

  private Tasks() {}

  /** The task names, in catalogue order. */
  public static List<String> names() {
    return List.of(SequentialMnist.NAME, DelayedXor.NAME, PatternGeneration.NAME,
        EvidenceAccumulation.NAME, PerceptualDecisionMaking.NAME, DelayMatchSample.NAME,
        ContextDecisionMaking.NAME, ParametricWorkingMemory.NAME, GoNoGo.NAME, FlipFlop.NAME,
        ReadySetGo.NAME);
  }

  /**
   * The parameters {@code task} takes.
   *
   * @throws IllegalArgumentException for an unknown task name
   */
  public static List<ParameterSpec> parameters(String task) {
    return switch (checkName(task)) {
      case SequentialMnist.NAME -> SequentialMnist.SPECS;
      case DelayedXor.NAME -> DelayedXor.SPECS;
      case PatternGeneration.NAME -> PatternGeneration.SPECS;
      case PerceptualDecisionMaking.NAME -> PerceptualDecisionMaking.SPECS;
      case DelayMatchSample.NAME -> DelayMatchSample.SPECS;
      case ContextDecisionMaking.NAME -> ContextDecisionMaking.SPECS;
      case ParametricWorkingMemory.NAME -> ParametricWorkingMemory.SPECS;
      case FlipFlop.NAME -> FlipFlop.SPECS;
      case ReadySetGo.NAME -> ReadySetGo.SPECS;
      case GoNoGo.NAME -> GoNoGo.SPECS;
      default -> EvidenceAccumulation.SPECS;
    };
  }

  /** One line saying what a task asks, for {@code tca tasks}. */
  public static String summary(String task) {
    return switch (checkName(task)) {
      case SequentialMnist.NAME -> "row-wise sequential MNIST from IDX files: classify the digit"
          + " after its 28 rows";
      case DelayedXor.NAME -> "two cues around a long delay: report whether they match";
      case PatternGeneration.NAME -> "Poisson input to a fixed sum of sines (regression)";
      case EvidenceAccumulation.NAME -> "7 left/right cues, a delay, then report the majority"
          + " side";
      case PerceptualDecisionMaking.NAME -> "two-alternative forced choice on noisy evidence at"
          + " several coherence levels (NeuroGym PerceptualDecisionMaking)";
      case DelayMatchSample.NAME -> "sample, delay, test: report whether the test matches the"
          + " sample (NeuroGym DelayMatchSample)";
      case ContextDecisionMaking.NAME -> "two noisy modalities and a context cue: decide on the"
          + " cued one, ignore the other (Mante et al. 2013)";
      case ParametricWorkingMemory.NAME -> "two frequencies across a delay: report whether the"
          + " first is higher (Romo; NeuroGym DelayComparison)";
      case GoNoGo.NAME -> "a go or a no-go stimulus, a delay, then respond or withhold"
          + " (NeuroGym GoNogo)";
      case FlipFlop.NAME -> "3-bit flip-flop: hold the sign of each channel's latest pulse"
          + " (regression; Sussillo and Barak 2013)";
      default -> "ready-set-go: reproduce the ready-to-set interval after set, as a ramp"
          + " (regression; NeuroGym ReadySetGo)";
    };
  }

  /**
   * Builds a task: resolves the parameters over their defaults and generates (or loads) its
   * datasets.
   *
   * @throws IllegalArgumentException for an unknown task, an unknown parameter or a bad value
   *     (the message names it)
   * @throws IOException when data files are missing or malformed (smnist; the message names the
   *     file and says how to get MNIST)
   */
  public static Task create(String task, Map<String, String> parameters) throws IOException {
    TaskParameters p = TaskParameters.parse(checkName(task), parameters(task), parameters);
    return switch (task) {
      case SequentialMnist.NAME -> SequentialMnist.create(p);
      case DelayedXor.NAME -> DelayedXor.create(p);
      case PatternGeneration.NAME -> PatternGeneration.create(p);
      case PerceptualDecisionMaking.NAME -> PerceptualDecisionMaking.create(p);
      case DelayMatchSample.NAME -> DelayMatchSample.create(p);
      case ContextDecisionMaking.NAME -> ContextDecisionMaking.create(p);
      case ParametricWorkingMemory.NAME -> ParametricWorkingMemory.create(p);
      case FlipFlop.NAME -> FlipFlop.create(p);
      case ReadySetGo.NAME -> ReadySetGo.create(p);
      case GoNoGo.NAME -> GoNoGo.create(p);
      default -> EvidenceAccumulation.create(p);
    };
  }

  private static String checkName(String task) {
    if (!names().contains(task)) {
      throw new IllegalArgumentException("unknown task '" + task + "'; known tasks: "
          + String.join(", ", names()));
    }
    return task;
  }
}
