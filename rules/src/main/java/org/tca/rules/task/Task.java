package org.tca.rules.task;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A task instance: its name and resolved parameters, the shape of its sequences (N_in, N_out, T,
 * loss mask, classification or regression) and its finite datasets. The training set has n
 * trials made from a seed; the test set is independent of it (other records of the data file,
 * or trials drawn from a different derived random stream), so test minus train loss is a
 * generalization gap. A validation set exists where the task defines one. The optional shifted
 * test set (noisier pixels, another delay, another input rate, ...) is a second, out-of-
 * distribution measure; it is built on first use and may have a different T (see its
 * {@link Dataset#steps()}).
 *
 * <p>Made by {@link Tasks#create}. Thread-safe.
 */
public final class Task {

  private final String name;
  private final Map<String, String> parameters;
  private final String description;
  private final Dataset train;
  private final Dataset validation;
  private final Dataset test;
  private final Supplier<Dataset> shiftedFactory;
  private final String shiftDescription;
  private Dataset shifted;

  Task(String name, TaskParameters parameters, String description, Dataset train,
      Dataset validation, Dataset test, Supplier<Dataset> shiftedFactory, String shiftDescription) {
    this.name = Objects.requireNonNull(name, "name");
    this.parameters = parameters.values();
    this.description = description;
    this.train = Objects.requireNonNull(train, "train");
    this.validation = validation;
    this.test = Objects.requireNonNull(test, "test");
    this.shiftedFactory = shiftedFactory;
    this.shiftDescription = shiftedFactory == null ? "none" : shiftDescription;
    for (Dataset d : new Dataset[] {validation, test}) {
      if (d != null && (d.inputSize() != train.inputSize() || d.outputSize() != train.outputSize()
          || d.kind() != train.kind())) {
        throw new IllegalArgumentException("split " + d + " does not match " + train);
      }
    }
  }

  /**
   * A task from ready-made datasets (for embedding programs and tests): no parameters, no
   * shifted test set. {@code validation} may be null.
   */
  public static Task of(String name, Dataset train, Dataset validation, Dataset test) {
    return new Task(name, TaskParameters.parse(name, java.util.List.of(), Map.of()),
        "custom task " + name, train, validation, test, null, null);
  }

  /** The command-line name, e.g. "delayed-xor". */
  public String name() {
    return name;
  }

  /** Every parameter with its resolved value (defaults filled in), in declaration order. */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** One line saying what the task is. */
  public String description() {
    return description;
  }

  /** Classification or regression. */
  public TaskKind kind() {
    return train.kind();
  }

  /** N_in. */
  public int inputSize() {
    return train.inputSize();
  }

  /** N_out (number of classes for classification). */
  public int outputSize() {
    return train.outputSize();
  }

  /** T of the training (and test and validation) sequences. */
  public int steps() {
    return train.steps();
  }

  /** A copy of the training set's loss mask m_t, length T. */
  public float[] lossMask() {
    return train.lossMask();
  }

  /** The training set. */
  public Dataset train() {
    return train;
  }

  /** The validation set, where the task defines one. */
  public Optional<Dataset> validation() {
    return Optional.ofNullable(validation);
  }

  /** The test set, independent of the training set. */
  public Dataset test() {
    return test;
  }

  /** Whether the task has a shifted test set (without building it). */
  public boolean hasShiftedTest() {
    return shiftedFactory != null;
  }

  /** The shifted test set, built on the first call; empty when the task has none. */
  public synchronized Optional<Dataset> shiftedTest() {
    if (shiftedFactory == null) {
      return Optional.empty();
    }
    if (shifted == null) {
      shifted = shiftedFactory.get();
    }
    return Optional.of(shifted);
  }

  /** What the shift is, e.g. "pixel noise sigma=0.2, clipped to [0, 1]", or "none". */
  public String shiftDescription() {
    return shiftDescription;
  }

  @Override
  public String toString() {
    return "Task[" + name + ", " + kind() + ", N_in=" + inputSize() + ", N_out=" + outputSize()
        + ", T=" + steps() + ", train=" + train.size() + ", test=" + test.size() + "]";
  }
}
