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
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.tca.numerics.io.NpyArray;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.learning.DoubleLearningRule;
import org.tca.rules.learning.DoubleRules;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.Block;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.PrecisionConversion;
import org.tca.rules.task.Dataset;
import org.tca.rules.task.MinibatchSampler;
import org.tca.rules.task.Task;
import org.tca.rules.task.TaskKind;
import org.tca.rules.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Unmatched;

/**
 * {@code tca gradient}: one rule's update direction on one batch, written with everything needed
 * to recompute it elsewhere ({@link GradientDirectory} layout). The batch is the first minibatch
 * a {@code tca train} run with the same seed and B draws (training-set trials, from
 * {@code new RandomStream(seed).child(100)}); the parameters are the seed's initialisation (the
 * f32 initial weights, widened exactly for f64) or those in {@code --params DIR} (a directory
 * written by {@code tca train} or {@code tca gradient}; its model.json then defines the model).
 * The gradient is computed on the whole batch in one call, single-threaded.
 */
@Command(name = "gradient", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Compute one rule's update on one batch and write params, batch, gradient "
        + "and model.json (to check our numbers against your own code).")
final class GradientCommand implements Callable<Integer> {

  @Mixin ModelOptions model;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Output directory (must be new or empty unless --force).")
  Path out;

  @Option(names = "--force", description = "Replace a non-empty --out.")
  boolean force;

  @Option(names = "--batch", paramLabel = "B", description = "Batch size (default: per task).")
  Integer batch;

  @Option(names = "--precision", defaultValue = "f32", paramLabel = "P",
      description = "f32 or f64 (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--params", paramLabel = "DIR",
      description = "Take model and parameters from DIR (written by tca train or tca gradient).")
  Path paramsDir;

  @Unmatched List<String> unmatched = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!precision.equals("f32") && !precision.equals("f64")) {
      throw new UsageException("--precision must be f32 or f64, got '" + precision + "'");
    }
    model.requireRate("tca gradient");
    Task task = model.task(unmatched);
    ModelConfig mc;
    DoubleParameters wide;
    Set<Block> frozen = EnumSet.noneOf(Block.class);
    frozen.addAll(model.frozen());
    if (paramsDir != null) {
      GradientDirectory.Contents c;
      try {
        c = GradientDirectory.read(paramsDir);
      } catch (IOException e) {
        throw new UsageException("--params " + paramsDir + ": " + e.getMessage());
      }
      mc = c.config();
      checkFits(mc, task);
      if (model.hidden != null && model.hidden != mc.hidden()) {
        throw new UsageException("--hidden " + model.hidden + " does not match the model in"
            + " --params (N=" + mc.hidden() + ")");
      }
      wide = c.doubleParameters();
      frozen.addAll(c.frozen());
    } else {
      mc = model.model(task);
      wide = PrecisionConversion.widen(FloatParameters.initialize(mc, model.seed));
    }
    for (Block b : frozen) {
      wide.freeze(b, true);
    }
    RuleOptions options = model.ruleOptions();
    int b = batch == null ? Math.min(model.defaults().batch(), task.train().size()) : batch;
    Dataset train = task.train();
    if (b < 1 || b > train.size()) {
      throw new UsageException("--batch must be in [1, " + train.size() + "] (the training set),"
          + " got " + b);
    }
    MinibatchSampler sampler = MinibatchSampler.of(train, b,
        new RandomStream(model.seed).child(Trainer.SAMPLER_STREAM));
    int offset = sampler.next();
    int steps = task.steps();
    boolean f64 = precision.equals("f64");
    DoubleBatch batchOut;
    double[] grad;
    double objective;
    Map<String, NpyArray> aux;
    String ruleId;
    Map<String, Object> settings;
    try {
      if (f64) {
        DoubleLearningRule r = DoubleRules.create(model.rule, mc, options);
        DoubleBatch db = task.kind() == TaskKind.CLASSIFICATION
            ? DoubleBatch.classification(steps, b, mc.inputs(), mc.outputs(), false)
            : DoubleBatch.regression(steps, b, mc.inputs(), mc.outputs());
        float[] m = train.lossMask();
        for (int t = 0; t < steps; t++) {
          db.lossMask()[t] = m[t];
        }
        train.gather(sampler.indices(), offset, b, db.x(), db.labels(), db.targets());
        grad = wide.newGradient();
        objective = r.gradient(wide, db, r.newWorkspace(b, steps), grad);
        batchOut = db;
        aux = GradientDirectory.auxiliaryF64(r.auxiliaryMatrices());
        ruleId = r.id();
        settings = new TreeMap<>(r.settings());
      } else {
        FloatLearningRule r = FloatRules.create(model.rule, mc, options);
        FloatParameters p = PrecisionConversion.narrow(wide);
        FloatBatch fb = (task.kind() == TaskKind.CLASSIFICATION
            ? FloatBatch.classification(steps, b, mc.inputs(), mc.outputs(), false)
            : FloatBatch.regression(steps, b, mc.inputs(), mc.outputs()))
            .lossMask(train.lossMask());
        train.gather(sampler.indices(), offset, b, fb.x(), fb.labels(), fb.targets());
        float[] g = p.newGradient();
        objective = r.gradient(p, fb, r.newWorkspace(b, steps), g);
        grad = new double[g.length];
        for (int i = 0; i < g.length; i++) {
          grad[i] = g[i];
        }
        batchOut = PrecisionConversion.widen(fb);
        aux = GradientDirectory.auxiliaryF32(r.auxiliaryMatrices());
        ruleId = r.id();
        settings = new TreeMap<>(r.settings());
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("task", task.name());
    info.put("task_parameters", task.parameters());
    info.put("seed", model.seed);
    info.put("batch", b);
    info.put("steps", steps);
    info.put("objective", objective);
    info.put("batch_indices", batchIndices(sampler, offset, b));
    try (OutputDirectory dir = OutputDirectory.stage(out, force)) {
      GradientDirectory.write(dir.path(), new GradientDirectory.Contents(mc, wide.structure(),
          frozen, precision, wide, batchOut, grad, ruleId, settings, aux, info));
      dir.commit();
    }
    double norm = 0;
    for (double x : grad) {
      norm += x * x;
    }
    var w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "tca gradient: %s, rule %s, %s, N=%d, B=%d, T=%d, seed %d%n",
        task.name(), ruleId, precision, mc.hidden(), b, steps, model.seed);
    w.printf(Locale.ROOT, "objective %.9g, |grad| %.9g%n", objective, Math.sqrt(norm));
    w.printf(Locale.ROOT, "wrote     %s/{model.json, params/, batch/, grad/%s%s}%n", out,
        wide.structure().hasMask() || wide.structure().dale() ? ", masks/" : "",
        aux.isEmpty() ? "" : ", aux/");
    w.flush();
    return 0;
  }

  private static List<Integer> batchIndices(MinibatchSampler s, int offset, int b) {
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      l.add(s.indices()[offset + i]);
    }
    return l;
  }

  private static void checkFits(ModelConfig mc, Task task) {
    boolean ce = mc.loss() == LossKind.CROSS_ENTROPY;
    if (mc.inputs() != task.inputSize() || mc.outputs() != task.outputSize()
        || ce != (task.kind() == TaskKind.CLASSIFICATION)) {
      throw new UsageException("--params holds a model with N_in=" + mc.inputs() + ", N_out="
          + mc.outputs() + ", " + mc.loss().id() + " loss, which does not fit task "
          + task.name() + " (N_in=" + task.inputSize() + ", N_out=" + task.outputSize() + ")");
    }
  }
}
