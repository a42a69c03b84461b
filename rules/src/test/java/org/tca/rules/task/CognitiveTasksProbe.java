package org.tca.rules.task;

import org.junit.jupiter.api.Test;
import org.tca.rules.model.FloatParameters;

class CognitiveTasksProbe {
  @Test
  void probe() {
    String[] tasks = System.getProperty("probe.tasks", "perceptual-decision-making,delay-match-sample,context-decision-making,parametric-working-memory,go-no-go,flip-flop,ready-set-go").split(",");
    String rule = System.getProperty("probe.rule", "bptt");
    int hidden = Integer.getInteger("probe.n", 32);
    int iters = Integer.getInteger("probe.it", 300);
    double lr = Double.parseDouble(System.getProperty("probe.lr", "0.01"));
    int ntrain = Integer.getInteger("probe.ntrain", 512);
    for (String name : tasks) {
      long t0 = System.nanoTime();
      Task task = TaskTestSupport.create(name, "n-train", "" + ntrain, "n-test", "500", "seed", "3");
      FloatParameters p = CognitiveTaskTraining.train(task, rule, hidden, 32, iters, lr);
      double m = task.kind() == TaskKind.CLASSIFICATION
          ? CognitiveTaskTraining.accuracy(p, task.test())
          : CognitiveTaskTraining.normalisedMse(p, task.test());
      double mt = task.kind() == TaskKind.CLASSIFICATION
          ? CognitiveTaskTraining.accuracy(p, task.train())
          : CognitiveTaskTraining.normalisedMse(p, task.train());
      System.out.printf("PROBE %s %s N=%d it=%d lr=%g train=%.4f test=%.4f  %.1fs  T=%d%n", name, rule, hidden, iters, lr, mt, m,
          (System.nanoTime() - t0) / 1e9, task.steps());
    }
  }
}
