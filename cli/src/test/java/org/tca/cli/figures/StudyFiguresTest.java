package org.tca.cli.figures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.tca.numerics.stats.Correlation;
import org.tca.numerics.stats.Descriptive;
import org.w3c.dom.Document;

/** The study figures on synthetic runs ({@link SampleRuns}): files, contents, statistics. */
class StudyFiguresTest {

  @TempDir Path dir;

  private static Document parseSvg(byte[] svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
  }

  private static String text(Document d, String tag) {
    return d.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag).item(0).getTextContent();
  }

  private List<String> listing() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writeAllProducesDecodablePngsAndParseableSvgsAtTheirSizes() throws Exception {
    List<RunSeries> runs = SampleRuns.remedyStudy();
    List<RunSeries> base = StudyFigures.baseline(runs);
    assertEquals(20, base.size());
    List<Path> files = StudyFigures.writeAll(runs, dir);
    List<String> names = List.of("gap_per_rule", "lambda_max", "gap_vs_lambda_max",
        "learning_curves", "remedy");
    List<Figure> figures = List.of(StudyFigures.gapPerRule(base),
        StudyFigures.lambdaMaxOverTraining(base), StudyFigures.gapVsLambdaMax(base),
        StudyFigures.learningCurves(base), StudyFigures.remedy(runs));
    List<Path> expected = new ArrayList<>();
    for (String n : names) {
      expected.add(dir.resolve(n + ".png"));
      expected.add(dir.resolve(n + ".svg"));
    }
    assertEquals(expected, files);
    assertEquals(expected.stream().map(p -> p.getFileName().toString()).sorted().toList(),
        listing(), "no temporary files left");
    for (int i = 0; i < names.size(); i++) {
      Figure f = figures.get(i);
      BufferedImage img = ImageIO.read(files.get(2 * i).toFile());
      assertEquals(f.width(), img.getWidth(), names.get(i));
      assertEquals(f.height(), img.getHeight(), names.get(i));
      Document svg = parseSvg(Files.readAllBytes(files.get(2 * i + 1)));
      assertEquals("svg", svg.getDocumentElement().getLocalName());
      assertEquals(f.width() + "px", svg.getDocumentElement().getAttribute("width"));
      assertEquals(f.height() + "px", svg.getDocumentElement().getAttribute("height"));
    }
    assertEquals(800, figures.get(0).width());
    assertEquals(1200, figures.get(3).width()); // four rules: 2 x 2 panels of 600 x 420
    assertEquals(840, figures.get(3).height());
  }

  @Test
  void svgTitleAndDescriptionNameTheSeries() throws Exception {
    List<RunSeries> base = SampleRuns.study();
    Document lam = parseSvg(FigureWriter.svg(StudyFigures.lambdaMaxOverTraining(base)));
    String desc = text(lam, "desc");
    for (String name : List.of("BPTT", "e-prop", "MDGL", "RFLO", "2/η = 200", "diverged")) {
      assertTrue(desc.contains(name), name + " missing from: " + desc);
    }
    assertTrue(text(lam, "title").contains("2/η stability limit"), text(lam, "title"));
    Document gap = parseSvg(FigureWriter.svg(StudyFigures.gapPerRule(base)));
    assertTrue(text(gap, "desc").contains("categories: BPTT (n = 5), e-prop (n = 5, 1 diverged)"),
        text(gap, "desc"));
    Document curves = parseSvg(FigureWriter.svg(StudyFigures.learningCurves(base)));
    assertTrue(text(curves, "title").contains("RFLO (5 runs, 1 diverged)"), text(curves, "title"));
    assertTrue(text(curves, "desc").contains("series: train loss, test loss"), text(curves, "desc"));
  }

  @Test
  void outputIsDeterministic() throws Exception {
    List<RunSeries> runs = SampleRuns.remedyStudy();
    Figure scatter = StudyFigures.gapVsLambdaMax(runs);
    assertArrayEquals(FigureWriter.png(scatter), FigureWriter.png(StudyFigures.gapVsLambdaMax(runs)));
    Figure remedy = StudyFigures.remedy(runs);
    assertArrayEquals(FigureWriter.svg(remedy), FigureWriter.svg(StudyFigures.remedy(runs)));
  }

  private static XYSeries series(Figure f, String name) {
    XYSeries s = f.panels().get(0).getSeriesMap().get(name);
    assertTrue(s != null, name + " not in " + f.panels().get(0).getSeriesMap().keySet());
    return s;
  }

  @Test
  void divergedRunsAreMarkedButLeftOutOfFitAndCorrelation() {
    List<RunSeries> runs = SampleRuns.study();
    List<RunSeries> ok = runs.stream().filter(RunSeries::usable).toList();
    assertEquals(18, ok.size());
    double[] x = ok.stream().mapToDouble(RunSeries::finalLambdaMax).toArray();
    double[] y = ok.stream().mapToDouble(RunSeries::gap).toArray();
    Figure f = StudyFigures.gapVsLambdaMax(runs);
    XYChart c = f.panels().get(0);
    var p = Correlation.pearson(x, y);
    var s = Correlation.spearman(x, y);
    assertEquals("Gap vs λ_max: " + FigureStyle.rp("Pearson r", p.r(), p.p()) + ", "
        + FigureStyle.rp("Spearman ρ", s.r(), s.p()), c.getTitle());
    XYSeries fit = series(f, "fit");
    assertEquals("least-squares fit (n = 18 of 20)", fit.getLabel());
    LineFit line = LineFit.of(x, y);
    double[] fx = fit.getXData();
    assertEquals(Descriptive.min(x), fx[0]);
    assertEquals(Descriptive.max(x), fx[fx.length - 1]);
    assertEquals(line.at(fx[0]), fit.getYData()[0]);
    assertEquals(line.at(fx[fx.length - 1]), fit.getYData()[fx.length - 1]);
    // The diverged RFLO run with finite numbers is a cross; the NaN e-prop run is not drawn.
    XYSeries crosses = series(f, "diverged");
    assertArrayEquals(new double[] {1500}, crosses.getXData());
    assertArrayEquals(new double[] {0.6}, crosses.getYData());
  }

  @Test
  void stripMeansAndSdsUseOnlyRunsThatDidNotDiverge() {
    List<RunSeries> runs = SampleRuns.study();
    Figure f = StudyFigures.gapPerRule(runs);
    for (String rule : SampleRuns.RULES) {
      double[] gaps = runs.stream().filter(r -> r.rule().equals(rule) && r.usable())
          .mapToDouble(RunSeries::gap).toArray();
      int g = List.of(SampleRuns.RULES).indexOf(rule);
      XYSeries mean = series(f, rule + "@" + g + " mean");
      assertEquals(Descriptive.mean(gaps), mean.getYData()[0], rule);
      assertEquals(Descriptive.standardDeviation(gaps), mean.getExtraValues()[0], rule);
      assertEquals(gaps.length, series(f, rule + "@" + g + " runs").getYData().length, rule);
    }
    assertEquals("RFLO\n(n = 5, 1 diverged)", f.categories(0)[3]);
    assertArrayEquals(new double[] {0.6}, series(f, "diverged").getYData());
  }

  @Test
  void lambdaMaxDrawsTheStabilityLineAndGoesLogOnlyForWideSpreads() {
    Figure wide = StudyFigures.lambdaMaxOverTraining(SampleRuns.study());
    XYChart c = wide.panels().get(0);
    assertTrue(c.getStyler().isYAxisLogarithmic());
    assertArrayEquals(new double[] {200, 200}, series(wide, "2/eta 0.01").getYData());
    List<RunSeries> narrow = List.of(
        new RunSeries("BPTT", 0, null, 0.01, false, new double[] {0, 1, 2},
            new double[] {1, 0.5, 0.4}, new double[] {1, 0.6, 0.5}, new double[] {90, Double.NaN, 150},
            0.1, 150),
        new RunSeries("e-prop", 0, null, 0.01, false, new double[] {0, 1, 2},
            new double[] {1, 0.5, 0.4}, new double[] {1, 0.6, 0.5}, new double[] {80, 120, 170},
            0.1, 170));
    Figure f = StudyFigures.lambdaMaxOverTraining(narrow);
    assertFalse(f.panels().get(0).getStyler().isYAxisLogarithmic());
    // The NaN checkpoint is skipped, not drawn as a gap or a zero.
    assertArrayEquals(new double[] {0, 2}, series(f, "BPTT seed 0 #1").getXData());
  }

  @Test
  void emptyInputIsAClearError() throws Exception {
    List<Function<List<RunSeries>, Figure>> all = List.of(StudyFigures::gapPerRule,
        StudyFigures::lambdaMaxOverTraining, StudyFigures::gapVsLambdaMax,
        StudyFigures::learningCurves, StudyFigures::remedy);
    for (var make : all) {
      var ex = assertThrows(IllegalArgumentException.class, () -> make.apply(List.of()));
      assertTrue(ex.getMessage().startsWith("no runs to plot"), ex.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> StudyFigures.writeAll(List.of(), dir));
    assertEquals(List.of(), listing());
  }

  @Test
  void allDivergedOrTooFewRunsStillDraw() throws Exception {
    List<RunSeries> dead = List.of(
        SampleRuns.run("e-prop", 0, null, 0.01, 100, 0.1, true, 0),
        SampleRuns.run("RFLO", 0, null, 0.01, 100, 0.1, true, 3));
    List<Path> files = StudyFigures.writeAll(dead, dir);
    assertEquals(8, files.size()); // one setting: no remedy figure
    assertTrue(StudyFigures.gapVsLambdaMax(dead).panels().get(0).getTitle()
        .contains("0 usable runs: too few for a correlation"));
    for (Path p : files) {
      assertTrue(Files.size(p) > 0, p.toString());
    }
  }

  @Test
  void writeReplacesAnExistingFileAtomically() throws Exception {
    Files.writeString(dir.resolve("gap.png"), "old");
    List<Path> out = FigureWriter.write(StudyFigures.gapPerRule(SampleRuns.study()), dir, "gap");
    assertEquals(List.of(dir.resolve("gap.png"), dir.resolve("gap.svg")), out);
    assertEquals(List.of("gap.png", "gap.svg"), listing());
    assertTrue(ImageIO.read(out.get(0).toFile()) != null);
    assertThrows(IllegalArgumentException.class,
        () -> FigureWriter.write(StudyFigures.gapPerRule(SampleRuns.study()), dir, "../x"));
  }

  @Test
  void lineFitIsExactOnExactData() {
    LineFit f = LineFit.of(new double[] {0, 1, 2, 3, 4}, new double[] {2, 5, 8, 11, 14});
    assertEquals(2.0, f.intercept());
    assertEquals(3.0, f.slope());
    // Normal equations by hand: slope = sum dx dy / sum dx^2 = 1 / 2, intercept = 1 - 1/2.
    LineFit g = LineFit.of(new double[] {0, 1, 2}, new double[] {0, 2, 1});
    assertEquals(0.5, g.slope());
    assertEquals(0.5, g.intercept());
    assertThrows(IllegalArgumentException.class,
        () -> LineFit.of(new double[] {1, 1}, new double[] {0, 1}));
    assertThrows(IllegalArgumentException.class, () -> LineFit.of(new double[] {1}, new double[] {0}));
  }

  @Test
  void runSeriesChecksItsInputAndCopiesArrays() {
    double[] it = {0, 1};
    RunSeries r = new RunSeries("BPTT", 3, null, 0.01, false, it, new double[] {1, 0.5},
        new double[] {1, 0.7}, new double[] {5, 6}, 0.2, 6);
    assertEquals("η = 0.01", r.setting());
    it[0] = 99;
    assertEquals(0, r.iterations()[0]);
    r.iterations()[1] = 42;
    assertEquals(1, r.iterations()[1]);
    assertThrows(IllegalArgumentException.class, () -> new RunSeries("BPTT", 0, null, 0.01, false,
        new double[] {0, 1}, new double[] {1}, new double[] {1, 0.7}, new double[] {5, 6}, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new RunSeries("BPTT", 0, null, 0, false,
        new double[0], new double[0], new double[0], new double[0], 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new RunSeries(" ", 0, null, 0.1, false,
        new double[0], new double[0], new double[0], new double[0], 0, 0));
    assertEquals("1e-04", RunSeries.format(1e-4));
    assertEquals("2.5e-04", RunSeries.format(2.5e-4));
    assertEquals("0.0025", RunSeries.format(2.5e-3));
    assertEquals("200", RunSeries.format(200));
  }
}
