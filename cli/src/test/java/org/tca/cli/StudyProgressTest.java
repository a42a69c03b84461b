package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tca.rules.train.RunStatus;
import org.tca.rules.train.TrajectoryPoint;
import org.tca.study.RunRecord;

/** The one line a finished run prints: lambda_max for rate cells, test accuracy for spiking. */
class StudyProgressTest {

  static RunRecord run(Map<String, Double> probes) {
    TrajectoryPoint p = new TrajectoryPoint(10, 0.01, 0.5, 0.8, 0.6, 0.75, Double.NaN,
        Double.NaN, 0, 0.5, 1, probes);
    return new RunRecord("r", "task", "bptt", 0, "s", "s", 0.01, 10, RunStatus.OK, 10, -1, "",
        List.of(p));
  }

  @Test
  void rateRunsShowLambdaMaxSpikingRunsTheirTestAccuracy() {
    assertEquals("lambda_max 12.50", StudyProgress.lastMeasure(run(Map.of("lambda_max", 12.5))));
    assertEquals("test accuracy 0.7500", StudyProgress.lastMeasure(
        run(Map.of("train_firing_rate", 0.01, "test_firing_rate", 0.01))));
  }
}
