package org.tca.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tca.numerics.kernels.Activation;
import org.tca.rules.optim.OptimizerSettings;

/**
 * Mutable builder of a {@link StudySpec}; every setter returns this and {@link #build} validates.
 * Defaults: one task, delayed-xor with its default parameters, rules bptt and eprop, seeds 0-2,
 * SGD at 1e-2, 500 iterations, N = 32, a = 0, l2 = 1e-2, ReLU, B = 32, 11 checkpoints, W_rec
 * curvature on 256 held-out trials (tolerance 1e-4, at most 100 products), alignment on 64
 * training trials, vector kernels, no train-to-a-loss, no training-batch curvature, no draws
 * axis ({@link #draws}), rate cells (no {@link #spiking}).
 */
public final class StudySpecBuilder {
  String name = "study";
  String description = "";
  List<StudyTask> tasks = new ArrayList<>(List.of(StudyTask.of("delayed-xor", Map.of())));
  List<String> rules = new ArrayList<>(List.of("bptt", "eprop"));
  List<Long> seeds = new ArrayList<>(List.of(0L, 1L, 2L));
  List<Setting> settings = new ArrayList<>(List.of(Setting.constant(1e-2)));
  long iterations = 500;
  Map<String, Long> ruleIterations = new LinkedHashMap<>();
  int hidden = 32;
  double tau = Double.NaN;
  double l2 = 1e-2;
  Activation activation = Activation.RELU;
  OptimizerSettings optimizer = OptimizerSettings.sgd();
  int batch = 32;
  int checkpoints = 11;
  String curvatureBlocks = "W_rec";
  int heldOut = 256;
  double curvatureTolerance = 1e-4;
  int curvatureMaxIterations = 100;
  int alignmentBatch = 64;
  int evalTrain = 0;
  int evalTest = 0;
  int window = 1;
  KernelChoice kernels = KernelChoice.VECTOR;
  double untilTrainLoss = Double.NaN;
  boolean trainCurvature = false;
  List<Long> draws = List.of();
  StudySpiking spiking = null;

  /** A builder with the defaults of the class comment. */
  public StudySpecBuilder() {}

  static StudySpecBuilder from(StudySpec s) {
    StudySpecBuilder b = new StudySpecBuilder();
    b.name = s.name();
    b.description = s.description();
    Draws.Split split = Draws.split(s.tasks());
    b.tasks = new ArrayList<>(split.tasks());
    b.draws = split.draws();
    b.rules = new ArrayList<>(s.rules());
    b.seeds = new ArrayList<>(s.seeds());
    b.settings = new ArrayList<>(s.settings());
    b.iterations = s.iterations();
    b.ruleIterations = new LinkedHashMap<>(s.ruleIterations());
    b.hidden = s.hidden();
    b.tau = s.tau();
    b.l2 = s.l2();
    b.activation = s.activation();
    b.optimizer = s.optimizer();
    b.batch = s.batch();
    b.checkpoints = s.checkpoints();
    b.curvatureBlocks = s.curvatureBlocks();
    b.heldOut = s.heldOut();
    b.curvatureTolerance = s.curvatureTolerance();
    b.curvatureMaxIterations = s.curvatureMaxIterations();
    b.alignmentBatch = s.alignmentBatch();
    b.evalTrain = s.evalTrain();
    b.evalTest = s.evalTest();
    b.window = s.window();
    b.kernels = s.kernels();
    b.untilTrainLoss = s.untilTrainLoss();
    b.trainCurvature = s.trainCurvature();
    b.spiking = s.spiking();
    return b;
  }

  public StudySpecBuilder name(String v) { name = v; return this; }
  public StudySpecBuilder description(String v) { description = v; return this; }
  public StudySpecBuilder tasks(List<StudyTask> v) { tasks = new ArrayList<>(v); return this; }
  /**
   * One task, {@code v} with default parameters and no draws; when the study already has
   * exactly one task of that name, it is kept with its parameters and draws.
   */
  public StudySpecBuilder task(String v) {
    if (tasks.size() != 1 || !tasks.get(0).task().equals(v)) {
      tasks = new ArrayList<>(List.of(StudyTask.of(v, Map.of())));
      draws = List.of();
    }
    return this;
  }
  /**
   * Sets parameters of the study's only task (added or replaced; the others are kept).
   *
   * @throws IllegalArgumentException when the study has several tasks
   */
  public StudySpecBuilder taskParams(Map<String, String> v) {
    if (tasks.size() != 1) {
      throw new IllegalArgumentException("task_params applies to a study with one task; this"
          + " one has " + tasks.size() + " (set each task's params in 'tasks')");
    }
    tasks.set(0, tasks.get(0).withParams(v));
    return this;
  }
  /** The rules; per-rule iterations of rules no longer listed are dropped. */
  public StudySpecBuilder rules(List<String> v) {
    rules = new ArrayList<>(v);
    ruleIterations.keySet().retainAll(rules);
    return this;
  }
  public StudySpecBuilder seeds(List<Long> v) { seeds = new ArrayList<>(v); return this; }
  /** Seeds 0..n-1. */
  public StudySpecBuilder seedCount(int n) {
    seeds = new ArrayList<>();
    for (long s = 0; s < n; s++) {
      seeds.add(s);
    }
    return this;
  }
  public StudySpecBuilder settings(List<Setting> v) { settings = new ArrayList<>(v); return this; }
  /** One constant setting per rate. */
  public StudySpecBuilder learningRates(List<Double> lrs) {
    settings = new ArrayList<>();
    lrs.forEach(lr -> settings.add(Setting.constant(lr)));
    return this;
  }
  public StudySpecBuilder iterations(long v) { iterations = v; return this; }
  public StudySpecBuilder ruleIterations(Map<String, Long> v) {
    ruleIterations = new LinkedHashMap<>(v);
    return this;
  }
  public StudySpecBuilder hidden(int v) { hidden = v; return this; }
  public StudySpecBuilder tau(double v) { tau = v; return this; }
  public StudySpecBuilder l2(double v) { l2 = v; return this; }
  public StudySpecBuilder activation(Activation v) { activation = v; return this; }
  /** The activation named {@code v} ("activation: unknown activation ..." otherwise). */
  public StudySpecBuilder activation(String v) {
    try {
      return activation(Activation.parse(v));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("activation: " + e.getMessage());
    }
  }
  public StudySpecBuilder optimizer(OptimizerSettings v) { optimizer = v; return this; }
  /** The optimizer of kind {@code v} with default hyper-parameters. */
  public StudySpecBuilder optimizer(String v) {
    if (!List.of(OptimizerSettings.KINDS).contains(v)) {
      throw new IllegalArgumentException("optimizer: unknown '" + v + "' (expected one of "
          + String.join(", ", OptimizerSettings.KINDS) + ")");
    }
    return optimizer(OptimizerSettings.of(v));
  }
  public StudySpecBuilder batch(int v) { batch = v; return this; }
  public StudySpecBuilder checkpoints(int v) { checkpoints = v; return this; }
  public StudySpecBuilder curvatureBlocks(String v) { curvatureBlocks = v; return this; }
  public StudySpecBuilder heldOut(int v) { heldOut = v; return this; }
  public StudySpecBuilder curvatureTolerance(double v) { curvatureTolerance = v; return this; }
  public StudySpecBuilder curvatureMaxIterations(int v) { curvatureMaxIterations = v; return this; }
  public StudySpecBuilder alignmentBatch(int v) { alignmentBatch = v; return this; }
  public StudySpecBuilder evalTrain(int v) { evalTrain = v; return this; }
  public StudySpecBuilder evalTest(int v) { evalTest = v; return this; }
  public StudySpecBuilder window(int v) { window = v; return this; }
  public StudySpecBuilder kernels(KernelChoice v) { kernels = v; return this; }
  /** The kernels named {@code v} ({@link KernelChoice#parse}). */
  public StudySpecBuilder kernels(String v) { return kernels(KernelChoice.parse(v)); }

  /** Train to this loss (NaN: off). */
  public StudySpecBuilder untilTrainLoss(double v) { untilTrainLoss = v; return this; }
  public StudySpecBuilder trainCurvature(boolean v) { trainCurvature = v; return this; }
  /** Spiking cells with these settings (null: rate cells). */
  public StudySpecBuilder spiking(StudySpiking v) { spiking = v; return this; }

  /**
   * The training-set draws ({@link Draws}): {@link #build} runs each task once per draw; empty:
   * each task as it is.
   */
  public StudySpecBuilder draws(List<Long> v) { draws = List.copyOf(v); return this; }

  /** The validated spec. */
  public StudySpec build() {
    if (draws.stream().distinct().count() != draws.size()
        || draws.stream().anyMatch(d -> d < 0)) {
      throw new IllegalArgumentException("draws: each draw must be >= 0 and listed once, got "
          + draws);
    }
    return new StudySpec(name, description, draws.isEmpty() ? tasks
        : Draws.expand(tasks, draws), rules, seeds, settings, iterations,
        ruleIterations, hidden, tau, l2, activation, optimizer, batch, checkpoints,
        curvatureBlocks, heldOut, curvatureTolerance, curvatureMaxIterations, alignmentBatch,
        evalTrain, evalTest, window, kernels, untilTrainLoss, trainCurvature, spiking);
  }
}
