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
 * One {@link Entry} per task (name, summary, parameters, factory and the training defaults it
 * suggests): adding a task is adding one entry to {@link #ALL}. Parameters come as a
 * {@code name -> value} map (the command line's task flags, without the leading dashes);
 * {@link #parameters} lists each task's names, defaults and meanings. Each task is described in
 * docs/science.md, section "Tasks".
 */
public final class Tasks {

  /** Makes a task from its resolved parameters. */
  @FunctionalInterface
  public interface Factory {
    /** Generates (or loads) the task's datasets. */
    Task create(TaskParameters parameters) throws IOException;
  }

  /**
   * One registered task.
   *
   * @param name the name on the command line and in study configs
   * @param summary one line saying what the task asks, for {@code tca tasks}
   * @param parameters the parameters it takes, with their defaults
   * @param factory makes it
   * @param defaults the training settings it suggests
   */
  public record Entry(String name, String summary, List<ParameterSpec> parameters,
      Factory factory, TaskDefaults defaults) {}

  private static final TaskDefaults COGNITIVE = new TaskDefaults(32, 32, "adam", 1e-2, 5, 500);

  /** Every task, in catalogue order. */
  public static final List<Entry> ALL = List.of(
      new Entry(SequentialMnist.NAME, "row-wise sequential MNIST from IDX files: classify the"
          + " digit after its 28 rows", SequentialMnist.SPECS, SequentialMnist::create,
          new TaskDefaults(128, 256, "sgd", 1e-2, Double.NaN, 10_000)),
      new Entry(DelayedXor.NAME, "two cues around a long delay: report whether they match",
          DelayedXor.SPECS, DelayedXor::create,
          new TaskDefaults(120, 32, "adam", 5e-4, 100, 2_000)),
      new Entry(PatternGeneration.NAME, "Poisson input to a fixed sum of sines (regression)",
          PatternGeneration.SPECS, PatternGeneration::create,
          new TaskDefaults(100, 1, "adam", 3e-3, 20, 1_000)),
      new Entry(EvidenceAccumulation.NAME, "7 left/right cues, a delay, then report the majority"
          + " side", EvidenceAccumulation.SPECS, EvidenceAccumulation::create,
          new TaskDefaults(100, 64, "adam", 5e-3, 100, 1_000)),
      new Entry(PerceptualDecisionMaking.NAME, "two-alternative forced choice on noisy evidence"
          + " at several coherence levels (NeuroGym PerceptualDecisionMaking)",
          PerceptualDecisionMaking.SPECS, PerceptualDecisionMaking::create, COGNITIVE),
      new Entry(DelayMatchSample.NAME, "sample, delay, test: report whether the test matches the"
          + " sample (NeuroGym DelayMatchSample)", DelayMatchSample.SPECS,
          DelayMatchSample::create, COGNITIVE),
      new Entry(ContextDecisionMaking.NAME, "two noisy modalities and a context cue: decide on"
          + " the cued one, ignore the other (Mante et al. 2013)", ContextDecisionMaking.SPECS,
          ContextDecisionMaking::create, COGNITIVE),
      new Entry(ParametricWorkingMemory.NAME, "two frequencies across a delay: report whether"
          + " the first is higher (Romo; NeuroGym DelayComparison)",
          ParametricWorkingMemory.SPECS, ParametricWorkingMemory::create, COGNITIVE),
      new Entry(GoNoGo.NAME, "a go or a no-go stimulus, a delay, then respond or withhold"
          + " (NeuroGym GoNogo)", GoNoGo.SPECS, GoNoGo::create, COGNITIVE),
      new Entry(FlipFlop.NAME, "3-bit flip-flop: hold the sign of each channel's latest pulse"
          + " (regression; Sussillo and Barak 2013)", FlipFlop.SPECS, FlipFlop::create,
          COGNITIVE),
      new Entry(ReadySetGo.NAME, "ready-set-go: reproduce the ready-to-set interval after set,"
          + " as a ramp (regression; NeuroGym ReadySetGo)", ReadySetGo.SPECS,
          ReadySetGo::create, new TaskDefaults(32, 32, "adam", 1e-2, 5, 1_500)));

  private Tasks() {}

  /** The task names, in catalogue order. */
  public static List<String> names() {
    return ALL.stream().map(Entry::name).toList();
  }

  /**
   * The entry of {@code task}.
   *
   * @throws IllegalArgumentException for an unknown task name
   */
  public static Entry entry(String task) {
    for (Entry e : ALL) {
      if (e.name().equals(task)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown task '" + task + "'; known tasks: "
        + String.join(", ", names()));
  }

  /**
   * The parameters {@code task} takes.
   *
   * @throws IllegalArgumentException for an unknown task name
   */
  public static List<ParameterSpec> parameters(String task) {
    return entry(task).parameters();
  }

  /** One line saying what a task asks, for {@code tca tasks}. */
  public static String summary(String task) {
    return entry(task).summary();
  }

  /**
   * The training settings {@code task} suggests for options left out.
   *
   * @throws IllegalArgumentException for an unknown task name
   */
  public static TaskDefaults defaults(String task) {
    return entry(task).defaults();
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
    Entry e = entry(task);
    return e.factory().create(TaskParameters.parse(task, e.parameters(), parameters));
  }
}
