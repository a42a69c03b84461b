package org.tca.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.study.RunRecordTest.point;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tca.rules.train.RunStatus;

/** Which rules the claims compare: approximate (bio) against exact, never unbiased estimates. */
class StudyClaimsTest {

  /** Three seeds of {@code rule} with final gaps g, g + 0.01, g + 0.03 and lambda_max 1, 2, 4. */
  private static List<RunRecord> runs(String rule, double g) {
    List<RunRecord> out = new ArrayList<>();
    double[] d = {0, 0.01, 0.03};
    for (int s = 0; s < 3; s++) {
      out.add(new RunRecord("t__" + rule + "__s" + s, "t", rule, s, "s", "s", 0.1, 100,
          RunStatus.OK, 100, -1, "", List.of(point(0, 1, 1, 1),
              point(100, 0.2, 0.2 + g + d[s], 1 << s))));
    }
    return out;
  }

  @Test
  void unbiasedEstimatesAreInNeitherGroupAndTheTextSaysSo() {
    List<RunRecord> all = new ArrayList<>(runs("bptt", 0.1));
    all.addAll(runs("eprop", 0.2));
    List<Claim> without = StudyClaims.evaluate(all);
    all.addAll(runs("uoro", 0.0));
    all.addAll(runs("kf-rtrl", 0.0));
    List<Claim> with = StudyClaims.evaluate(all);
    String c1 = with.get(0).text();
    assertTrue(c1.startsWith("At the baseline learning rate the bio rules (eprop; n = 3)"), c1);
    assertTrue(c1.contains("exact-gradient rules (bptt; n = 3)"), c1);
    assertEquals(without.get(0).verdict(), with.get(0).verdict());
    String note = " The unbiased estimates (uoro, kf-rtrl) are in neither group: the claims"
        + " concern biased approximations of the gradient.";
    for (int i = 0; i < with.size(); i++) {
      assertEquals(without.get(i).text() + note, with.get(i).text().replace(
          correlationPart(with.get(i).text()), correlationPart(without.get(i).text())));
      assertFalse(without.get(i).text().contains("unbiased"));
    }
  }

  /** Claim 2's correlation runs over all usable runs, unbiased ones too: its sentence differs. */
  private static String correlationPart(String text) {
    int i = text.indexOf("Across all ");
    return i < 0 ? "" : text.substring(i, text.indexOf(" At the baseline rate", i));
  }
}
