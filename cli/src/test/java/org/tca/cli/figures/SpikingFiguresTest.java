package org.tca.cli.figures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYSeries;

/**
 * The spiking study figures on synthetic runs: the five files in order (no lambda_max figure),
 * each run's accuracy, firing-rate and alignment curves drawn as given, the target-rate line, and
 * rate-cell runs (no spiking curves) refused.
 */
class SpikingFiguresTest {

  @TempDir Path dir;

  /** Three rules x two seeds at 5 checkpoints; the second e-prop run diverged at the fourth. */
  static List<RunSeries> runs() {
    List<RunSeries> out = new ArrayList<>();
    String[] rules = {"bptt", "eprop", "mdgl"};
    for (int r = 0; r < rules.length; r++) {
      for (int s = 0; s < 2; s++) {
        boolean diverged = r == 1 && s == 1;
        int n = 5;
        double[] it = new double[n];
        double[] loss = new double[n];
        double[] acc = new double[n];
        double[] rate = new double[n];
        double[] cos = new double[n];
        for (int i = 0; i < n; i++) {
          it[i] = 10.0 * i;
          loss[i] = 0.7 - 0.1 * i + 0.01 * s;
          acc[i] = 0.5 + 0.1 * i - 0.05 * r;
          rate[i] = 20 - 2 * i + r + s;
          cos[i] = r == 0 ? 1 : 0.2 + 0.1 * i - 0.05 * s;
          if (diverged && i >= 3) {
            loss[i] = Double.NaN;
            acc[i] = Double.NaN;
            rate[i] = Double.NaN;
            cos[i] = Double.NaN;
          }
        }
        double[] test = loss.clone();
        for (int i = 0; i < n; i++) {
          test[i] += 0.05;
        }
        out.add(new RunSeries(rules[r], s, null, 5e-3, diverged, it, loss, test,
            new double[n], 0.05, Double.NaN, new SpikingCurves(acc, acc, rate, rate, cos)));
      }
    }
    return out;
  }

  @Test
  void writesFiveFiguresAndNoCurvature() throws Exception {
    List<Path> files = SpikingFigures.writeAll(runs(), 10, dir);
    List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
    assertEquals(List.of("gap_per_rule.png", "gap_per_rule.svg", "accuracy.png", "accuracy.svg",
        "firing_rate.png", "firing_rate.svg", "grad_cosine.png", "grad_cosine.svg",
        "learning_curves.png", "learning_curves.svg"), names);
    BufferedImage rate = ImageIO.read(files.get(4).toFile());
    assertEquals(StudyFigures.WIDTH, rate.getWidth());
    assertEquals(StudyFigures.HEIGHT, rate.getHeight());
  }

  /** With a second learning-rate setting the figures show the first, plus the gap per setting. */
  @Test
  void aSecondSettingAddsTheGapPerSetting() throws Exception {
    List<RunSeries> rs = new ArrayList<>(runs());
    for (RunSeries r : runs()) {
      rs.add(new RunSeries(r.rule(), r.seed(), "η = 0.05", 0.05, r.diverged(), r.iterations(),
          r.trainLoss(), r.testLoss(), r.lambdaMax(), 0.2, Double.NaN, r.spiking()));
    }
    List<Path> files = SpikingFigures.writeAll(rs, 10, dir);
    assertEquals(12, files.size());
    assertEquals("gap_per_setting.svg", files.get(11).getFileName().toString());
    var series = StudyFigures.gapPerSetting(rs).panels().get(0).getSeriesMap();
    assertArrayEquals(new double[] {0.05, 0.05}, series.get("bptt@0 runs").getYData(), 0);
    assertArrayEquals(new double[] {0.2, 0.2}, series.get("bptt@1 runs").getYData(), 0);
  }

  @Test
  void curvesAreTheRunsOwn() {
    List<RunSeries> rs = runs();
    Figure rate = SpikingFigures.firingRate(rs, 10);
    XYSeries first = rate.panels().get(0).getSeriesMap().get("bptt seed 0 #1");
    assertEquals(20.0, first.getYData()[0], 0);
    assertEquals(12.0, first.getYData()[4], 0);
    XYSeries target = rate.panels().get(0).getSeriesMap().get("target rate");
    assertEquals(10.0, target.getYData()[0], 0);
    assertEquals("target r_0 = 10 Hz", target.getLabel());
    XYSeries diverged = rate.panels().get(0).getSeriesMap().get("eprop seed 1 #4");
    assertEquals(3, diverged.getXData().length, "drawn up to its last finite point");
    assertTrue(rate.panels().get(0).getSeriesMap().containsKey("diverged runs"));
    assertTrue(!SpikingFigures.firingRate(rs, Double.NaN).panels().get(0).getSeriesMap()
        .containsKey("target rate"), "no target line without the rate term");
    Figure cos = SpikingFigures.gradCosine(rs);
    assertEquals(0.3, cos.panels().get(0).getSeriesMap().get("mdgl seed 0 #5").getYData()[1],
        1e-12);
    Figure acc = SpikingFigures.accuracy(rs);
    assertEquals(3, acc.panels().size(), "a panel per rule");
    assertEquals(0.45, acc.panels().get(1).getSeriesMap().get("train 0 #1").getYData()[0],
        1e-12);
    assertEquals("train accuracy",
        acc.panels().get(1).getSeriesMap().get("train 0 #1").getLabel());
  }

  @Test
  void rateCellRunsAreRefused() {
    List<RunSeries> rate = List.of(new RunSeries("bptt", 0, null, 0.1, false,
        new double[] {0}, new double[] {1}, new double[] {1}, new double[] {1}, 0, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SpikingFigures.writeAll(rate, 10, dir));
    assertTrue(e.getMessage().contains("has no spiking curves"), e.getMessage());
  }
}
