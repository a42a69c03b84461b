package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.Cell;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatNetwork;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.FloatTrajectory;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.FloatAdam;
import org.tca.rules.optim.FloatSgd;
import org.tca.rules.optim.FloatUpdater;
import org.tca.rules.optim.LearningRateSchedule;
import org.tca.rules.optim.TrainableRanges;
import org.tca.rules.task.Dataset;
import org.tca.rules.task.MnistSubset;
import org.tca.rules.task.Task;
import org.tca.rules.task.Tasks;

/**
 * Each bio-plausible rule learns a short delayed XOR (cue windows of 4 steps around a delay of
 * 6, T = 14; 256 training and 256 test trials) to well above chance (0.5): a small leaky RNN
 * (N = 24) trained with Adam (lr 0.01, batch 32, 200 iterations), offline, on both cells; and
 * online (B = 1, an update every step) for e-prop and RFLO. And, on the repository's MNIST
 * subset (data/mnist-subset), row-wise sMNIST with a small Murray-style network (rate-leak,
 * a = 0.5, tanh, N = 64) from 3000 training images, SGD 0.3 with the gradient norm clipped at 1,
 * batch 64, 150 iterations, to at least 0.4 (chance: 0.1; 0.50-0.61 measured) on the 2004 test
 * images. (On the paper's a = 0 ReLU cell the random-feedback rules blow the
 * activity up within tens of such steps; the symmetric ones reach 0.35-0.5 in 300.) Its own tiny
 * loop keeps this independent of the trainer.
 */
class BioRulesLearnTest {

  static final int N = 24;
  static final int ITERATIONS = 200;
  static final int BATCH = 32;

  static Task task() throws java.io.IOException {
    return Tasks.create("delayed-xor", Map.of("cue", "4", "delay", "6", "std", "1.5",
        "n-train", "256", "n-test", "256", "seed", "3"));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({"eprop, voltage-leak", "eprop-random, voltage-leak", "rflo, voltage-leak",
      "mdgl, voltage-leak", "mdgl-celltype, voltage-leak", "modprop, voltage-leak",
      "eprop, rate-leak", "rflo, rate-leak", "mdgl-celltype, rate-leak", "modprop, rate-leak"})
  void learnsDelayedXorOffline(String id, String cellName) throws Exception {
    Task task = task();
    Cell cell = Cell.parse(cellName);
    ModelConfig c = ModelConfig.builder(task.inputSize(), N, task.outputSize()).cell(cell)
        .tau(5, 1).l2(0).build();
    FloatLearningRule rule = FloatRules.create(id, c, RuleOptions.defaults());
    FloatParameters p = FloatParameters.initialize(c, 11);
    double before = accuracy(p, task.test());
    Dataset train = task.train();
    FloatBatch batch = FloatBatch.classification(train.steps(), BATCH, c.inputs(), c.outputs(),
        false).lossMask(train.lossMask());
    FloatWorkspace ws = rule.newWorkspace(BATCH, train.steps());
    float[] g = p.newGradient();
    FloatAdam adam = new FloatAdam(g.length, TrainableRanges.all(g.length), 0.9, 0.999, 1e-8);
    int[] order = new RandomStream(5).permutation(train.size());
    for (int it = 0; it < ITERATIONS; it++) {
      int offset = it * BATCH % train.size();
      train.gather(order, offset, BATCH, batch.x(), batch.labels(), null);
      rule.gradient(p, batch, ws, g);
      adam.step(p.data(), g, 1.0, 0.01);
      p.project();
    }
    double after = accuracy(p, task.test());
    assertTrue(after >= 0.8, id + " on " + cellName + ": test accuracy " + before + " -> "
        + after);
  }

  @ParameterizedTest(name = "online {0} on {1}")
  @CsvSource({"eprop, voltage-leak", "rflo, rate-leak"})
  void learnsDelayedXorOnline(String id, String cellName) throws Exception {
    Task task = task();
    ModelConfig c = ModelConfig.builder(task.inputSize(), N, task.outputSize())
        .cell(Cell.parse(cellName)).tau(5, 1).l2(0).build();
    FloatLearningRule rule = FloatRules.create(id, c, RuleOptions.defaults());
    FloatParameters p = FloatParameters.initialize(c, 11);
    Dataset train = task.train();
    FloatBatch one = FloatBatch.classification(train.steps(), 1, c.inputs(), c.outputs(), false)
        .lossMask(train.lossMask());
    FloatWorkspace ws = rule.newWorkspace(1, train.steps());
    float[] g = p.newGradient();
    FloatAdam adam = new FloatAdam(g.length, TrainableRanges.all(g.length), 0.9, 0.999, 1e-8);
    int[] order = new RandomStream(5).permutation(train.size());
    for (int it = 0; it < 2 * train.size(); it++) {
      train.gather(order, it % train.size(), 1, one.x(), one.labels(), null);
      rule.beginOnline(p, ws);
      for (int t = 0; t < train.steps(); t++) {
        rule.stepOnline(p, one, t, ws, g);
        if (one.lossMask()[t] != 0f) {
          adam.step(p.data(), g, 1.0, 0.003);
          p.project();
        }
      }
    }
    double after = accuracy(p, task.test());
    assertTrue(after >= 0.8, "online " + id + " on " + cellName + ": test accuracy " + after);
  }

  @ParameterizedTest(name = "sMNIST {0}")
  @CsvSource({"eprop", "eprop-random", "rflo", "mdgl", "mdgl-celltype", "modprop"})
  void learnsSequentialMnistSubset(String id) throws Exception {
    Task task = mnist(MnistSubset.dir());
    ModelConfig c = ModelConfig.builder(task.inputSize(), 64, task.outputSize())
        .cell(Cell.RATE_LEAK).activation(Activation.TANH).leak(0.5).build();
    FloatLearningRule rule = FloatRules.create(id, c, RuleOptions.defaults());
    FloatParameters p = FloatParameters.initialize(c, 11);
    Dataset train = task.train();
    int bs = 64;
    FloatBatch batch = FloatBatch.classification(train.steps(), bs, c.inputs(), c.outputs(),
        false).lossMask(train.lossMask());
    FloatWorkspace ws = rule.newWorkspace(bs, train.steps());
    float[] g = p.newGradient();
    FloatUpdater sgd = new FloatUpdater(new FloatSgd(g.length, TrainableRanges.all(g.length)),
        LearningRateSchedule.constant(0.3), 1.0);
    int[] order = new RandomStream(5).permutation(train.size());
    for (int it = 0; it < 150; it++) {
      train.gather(order, it * bs % (train.size() - bs), bs, batch.x(), batch.labels(), null);
      rule.gradient(p, batch, ws, g);
      sgd.step(p.data(), g);
      p.project();
    }
    double after = accuracy(p, task.test());
    assertTrue(after >= 0.4, id + " on sMNIST: test accuracy " + after);
  }

  private static Task mnist;

  /** The sMNIST task, loaded once for the class. */
  private static synchronized Task mnist(Path subset) throws java.io.IOException {
    if (mnist == null) {
      mnist = Tasks.create("smnist", Map.of("data", subset.toString(), "n-train", "3000"));
    }
    return mnist;
  }

  static double accuracy(FloatParameters p, Dataset set) {
    ModelConfig c = p.config();
    FloatBatch b = FloatBatch.classification(set.steps(), set.size(), c.inputs(), c.outputs(),
        false).lossMask(set.lossMask());
    set.gather(null, 0, set.size(), b.x(), b.labels(), null);
    FloatNetwork net = new FloatNetwork(c);
    FloatTrajectory tr = new FloatTrajectory(c, set.size(), set.steps());
    net.forward(p, b, tr);
    return net.correct(b, tr) / (double) set.size();
  }
}
