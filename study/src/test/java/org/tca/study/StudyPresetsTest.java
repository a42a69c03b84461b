package org.tca.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tca.rules.spiking.PoissonEvidenceEncoding;
import org.tca.rules.spiking.SpikingCell;
import org.tca.rules.task.Task;
import org.tca.rules.task.Tasks;

/** The built-in studies' key settings, those their README results depend on. */
class StudyPresetsTest {

  /**
   * spiking-evidence: BPTT, e-prop and MDGL on the published network and task, one iteration
   * budget for all three, a training set that a run passes over at most twice (close to
   * e-prop's fresh batches; with 1,000 trials, 19 passes, e-prop over-fitted), and
   * the loss over the whole 150-ms recall window (the published loss; with the loss at the last
   * step only e-prop learned too slowly).
   */
  @Test
  void spikingEvidenceTrainsEveryRuleOnFreshTrialsWithTheLossOverTheRecallWindow()
      throws Exception {
    StudySpec s = StudyPresets.create("spiking-evidence", null);
    assertEquals(List.of("bptt", "eprop", "mdgl"), s.rules());
    assertEquals(5, s.seeds().size());
    assertEquals(SpikingCell.LIF_ALIF, s.spiking().cell());
    assertEquals(100, s.hidden());
    assertEquals(32, s.batch());
    for (String rule : s.rules()) {
      assertEquals(StudyPresets.SPIKING_ITERATIONS, s.iterationsOf(rule), rule);
    }
    Map<String, String> p = s.tasks().get(0).params();
    assertEquals("poisson", p.get("encoding"));
    long trials = Long.parseLong(p.get("n-train"));
    long drawn = StudyPresets.SPIKING_ITERATIONS * s.batch();
    assertTrue(2 * trials >= drawn, "a run draws " + drawn + " trials from " + trials
        + ": more than two passes over the training set");

    Map<String, String> small = new java.util.HashMap<>(p);
    small.putAll(Map.of("n-train", "2", "n-test", "2"));
    Task t = Tasks.create(s.tasks().get(0).task(), small);
    assertEquals(PoissonEvidenceEncoding.PUBLISHED_STEPS, t.steps());
    float[] mask = t.lossMask();
    int steps = 0;
    for (int k = 0; k < mask.length; k++) {
      if (mask[k] != 0) {
        steps++;
        assertTrue(k >= mask.length - PoissonEvidenceEncoding.RECALL, "loss step " + k);
      }
    }
    assertEquals(PoissonEvidenceEncoding.RECALL, steps, "loss steps");
  }
}
