package org.tca.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tca.numerics.kernels.Activation;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.MuPlacement;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.Block;
import org.tca.rules.model.Cell;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.spiking.SpikingCell;
import org.tca.rules.task.ParameterSpec;
import org.tca.rules.task.Task;
import org.tca.rules.task.TaskDefaults;
import org.tca.rules.task.TaskKind;
import org.tca.rules.task.Tasks;
import picocli.CommandLine.Option;

/**
 * The options {@code tca train} and {@code tca gradient} share: the task (and its parameters, as
 * {@code --param name=value} or as flags of their own, e.g. {@code --delay 50}), the model and
 * the rule. {@link #task} and {@link #model} turn them into engine objects, with every bad value
 * reported as a {@link UsageException} (one line, exit status 2).
 */
final class ModelOptions {

  @Option(names = "--task", required = true, paramLabel = "TASK",
      completionCandidates = TaskIds.class,
      description = "Task: ${COMPLETION-CANDIDATES} ('tca tasks' lists their parameters).")
  String task;

  /** The task ids of the registry ({@link Tasks#names}), for the help text. */
  static final class TaskIds implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Tasks.names().iterator();
    }
  }

  @Option(names = "--rule", required = true, paramLabel = "RULE",
      completionCandidates = RuleIds.class, description = "Learning rule: ${COMPLETION-CANDIDATES}.")
  String rule;

  /** The rule ids of the registry ({@link FloatRules#ids}), for the help text. */
  static final class RuleIds implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return FloatRules.ids().iterator();
    }
  }

  @Option(names = "--hidden", paramLabel = "N", description = "Hidden units (default: per task).")
  Integer hidden;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
      description = "Run seed: initial weights and minibatch order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--cell", defaultValue = "voltage-leak", paramLabel = "CELL",
      description = "voltage-leak (the paper's) or rate-leak; spiking (tca train): lif, alif,"
          + " lif-alif (half ALIF) (default: ${DEFAULT-VALUE}).")
  String cell;

  @Option(names = "--activation", defaultValue = "relu", paramLabel = "F",
      description = "relu, tanh, softplus (default: ${DEFAULT-VALUE}).")
  String activation;

  @Option(names = "--tau", paramLabel = "TAU",
      description = "Rate cells: time constant in units of dt (a = exp(-dt/tau); default: per"
          + " task; spiking cells take --tau-m instead).")
  Double tau;

  @Option(names = "--dt", defaultValue = "1", paramLabel = "DT",
      description = "Time step for --tau (default: ${DEFAULT-VALUE}).")
  double dt;

  @Option(names = {"--leak"}, paramLabel = "A", description = "The leak a itself (not with --tau).")
  Double leak;

  @Option(names = "--l2", defaultValue = "0.01", paramLabel = "LAMBDA",
      description = "L2 coefficient (default: ${DEFAULT-VALUE}).")
  double l2;

  @Option(names = "--dale", description = "Dale's law (80%% excitatory columns, signs kept).")
  boolean dale;

  @Option(names = "--excitatory-fraction", defaultValue = "0.8", paramLabel = "F",
      description = "Excitatory fraction under --dale (default: ${DEFAULT-VALUE}).")
  double excitatoryFraction;

  @Option(names = "--autapses", description = "Allow self-connections (default: none).")
  boolean autapses;

  @Option(names = "--connection-probability", defaultValue = "1", paramLabel = "P",
      description = "Sparse W_rec: each entry exists with probability P (default: dense).")
  double connectionProbability;

  @Option(names = "--no-recurrent-bias", description = "Leave out b_rec.")
  boolean noRecurrentBias;

  @Option(names = "--freeze", split = ",", paramLabel = "BLOCK",
      description = "Blocks held fixed: W_in, W_rec, b_rec, W_out, b_out.")
  List<String> freeze = new ArrayList<>();

  @Option(names = "--window", paramLabel = "K", description = "Truncation window of tbptt.")
  Integer window;

  @Option(names = "--feedback-seed", defaultValue = "1", paramLabel = "S",
      description = "Seed of random feedback matrices (eprop-random, rflo) and of the random signs"
          + " (uoro, kf-rtrl, r-kf-rtrl).")
  long feedbackSeed;

  @Option(names = "--mu", defaultValue = "0.25", paramLabel = "MU",
      description = "ModProp's constant for f' on the non-local path (default: ${DEFAULT-VALUE}).")
  double mu;

  @Option(names = "--mu-placement", defaultValue = "receiver", paramLabel = "WHERE",
      description = "ModProp: receiver (mu at every later neuron, exact f' at the updated one)"
          + " or sender (the authors' code: exact f' at the readout; voltage-leak only)"
          + " (default: ${DEFAULT-VALUE}).")
  String muPlacement;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Directory with the MNIST IDX files (smnist).")
  Path data;

  @Option(names = "--param", paramLabel = "NAME=VALUE",
      description = "A task parameter (also accepted as --NAME VALUE), e.g. --param delay=50.")
  Map<String, String> params = new LinkedHashMap<>();

  /** The task's defaults for omitted options. */
  TaskDefaults defaults() {
    try {
      return Tasks.defaults(task);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * The task, with parameters from {@code --param}, {@code --data} and the leftover
   * {@code --name value} arguments.
   */
  Task task(List<String> unmatched) {
    List<ParameterSpec> specs;
    try {
      specs = Tasks.parameters(task);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Map<String, String> p = new LinkedHashMap<>(params);
    for (int i = 0; i < unmatched.size(); i++) {
      String arg = unmatched.get(i);
      String name;
      String value;
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("Unexpected argument: '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else {
        name = arg.substring(2);
        if (i + 1 >= unmatched.size() || unmatched.get(i + 1).startsWith("--")) {
          throw new UsageException("Missing value for option '" + arg + "'");
        }
        value = unmatched.get(++i);
      }
      if (specs.stream().noneMatch(s -> s.name().equals(name)) || name.equals("data")) {
        List<String> names = new ArrayList<>();
        specs.forEach(s -> names.add("--" + s.name()));
        throw new UsageException("Unknown option: '--" + name + "' (task " + task
            + " takes " + String.join(", ", names) + ")");
      }
      p.put(name, value);
    }
    if (data != null) {
      if (specs.stream().noneMatch(s -> s.name().equals("data"))) {
        throw new UsageException("--data is for smnist; task " + task + " makes its own data");
      }
      p.put("data", data.toString());
    }
    try {
      return Tasks.create(task, p);
    } catch (IllegalArgumentException | IOException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** The spiking cell of {@code --cell}, or null for a rate cell. */
  SpikingCell spikingCell() {
    return SpikingCell.isSpiking(cell) ? SpikingCell.parse(cell) : null;
  }

  /** Refuses a spiking {@code --cell}: {@code command} runs rate cells only. */
  void requireRate(String command) {
    if (spikingCell() != null) {
      throw new UsageException(command + " runs rate cells only; --cell " + cell + " is a"
          + " spiking cell (train it with tca train)");
    }
  }

  /**
   * The model for a task (inputs, outputs and loss from the task); for a spiking cell the base
   * config of its {@link org.tca.rules.spiking.SpikingConfig} (no b_rec; cell, activation and
   * leak unused).
   */
  ModelConfig model(Task t) {
    TaskDefaults d = defaults();
    if (hidden != null && hidden < 1) {
      throw new UsageException("--hidden must be >= 1, got " + hidden);
    }
    if (spikingCell() != null) {
      if (tau != null || leak != null) {
        throw new UsageException("--tau and --leak are for rate cells; spiking cells take"
            + " --tau-m (and --tau-a, --tau-out)");
      }
      try {
        return ModelConfig.builder(t.inputSize(), hidden == null ? d.hidden() : hidden,
            t.outputSize())
            .loss(t.kind() == TaskKind.CLASSIFICATION ? LossKind.CROSS_ENTROPY : LossKind.MSE)
            .l2(l2).recurrentBias(false).noAutapse(!autapses).dale(dale)
            .excitatoryFraction(excitatoryFraction)
            .connectionProbability(connectionProbability).build();
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    try {
      Cell c;
      try {
        c = Cell.parse(cell);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--cell: unknown cell '" + cell + "' (expected voltage-leak,"
            + " rate-leak or a spiking cell: " + SpikingCell.names() + ")");
      }
      ModelConfig.Builder b = ModelConfig.builder(t.inputSize(), hidden == null ? d.hidden()
          : hidden, t.outputSize())
          .cell(c)
          .activation(Activation.parse(activation.toLowerCase(Locale.ROOT)))
          .loss(t.kind() == TaskKind.CLASSIFICATION ? LossKind.CROSS_ENTROPY : LossKind.MSE)
          .l2(l2)
          .recurrentBias(!noRecurrentBias)
          .noAutapse(!autapses)
          .dale(dale)
          .excitatoryFraction(excitatoryFraction)
          .connectionProbability(connectionProbability);
      if (tau != null && leak != null) {
        throw new UsageException("give --tau or --leak, not both");
      }
      if (leak != null) {
        b.leak(leak);
      } else if (tau != null) {
        b.tau(tau, dt);
      } else if (!Double.isNaN(d.tau())) {
        b.tau(d.tau(), dt);
      } else {
        b.leak(c == Cell.VOLTAGE_LEAK ? 0.0 : 1.0);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** The rule's options; tbptt needs --window. */
  RuleOptions ruleOptions() {
    if ("tbptt".equals(rule) && window == null) {
      throw new UsageException("rule tbptt needs --window K (the truncation window)");
    }
    if (window != null && window < 1) {
      throw new UsageException("--window must be >= 1, got " + window);
    }
    MuPlacement placement;
    try {
      placement = MuPlacement.parse(muPlacement);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--mu-placement: " + e.getMessage());
    }
    try {
      return RuleOptions.defaults().withWindow(window == null ? 1 : window)
          .withFeedbackSeed(feedbackSeed).withMu(mu).withMuPlacement(placement);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** The frozen blocks. */
  Set<Block> frozen() {
    Set<Block> s = EnumSet.noneOf(Block.class);
    for (String f : freeze) {
      try {
        s.add(Block.parse(f.trim()));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--freeze: " + e.getMessage());
      }
    }
    return s;
  }
}
