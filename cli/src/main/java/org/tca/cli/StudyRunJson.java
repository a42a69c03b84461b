package org.tca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tca.numerics.io.MalformedFileException;
import org.tca.study.RunRecord;
import org.tca.study.StudyRunner;
import org.tca.rules.train.RunStatus;
import org.tca.rules.train.TrajectoryPoint;

/**
 * One study run as JSON ({@code runs/ID.json}, format {@value #FORMAT}): identity, status, the
 * final numbers (derived, for readers), the trajectory, one object per checkpoint with the
 * {@link MetricsJson#point} keys and the probe metrics, for a run that trained to a loss its
 * {@code target_train_loss} and {@code reached_target_at} (the iteration, null when it stopped at
 * its cap), and {@code engine_sha256}, the engine
 * sources hash of the code that produced the run ({@link org.tca.rules.BuildInfo}). Doubles are written in their shortest
 * round-trip form, so reading a file back gives the same record bit for bit; NaN is null.
 */
final class StudyRunJson implements StudyRunner.RunStore {

  /** The value of the "format" key. */
  static final String FORMAT = "tca-study-run-2";

  private static final Set<String> POINT_KEYS = Set.of("iteration", "learning_rate",
      "train_loss", "train_accuracy", "test_loss", "test_accuracy", "shifted_loss",
      "shifted_accuracy", "l2_penalty", "batch_loss", "grad_norm");

  private final Path dir;
  private final String engine;

  /**
   * A store in {@code dir} (the study's runs/ directory) whose saved runs record
   * {@code engine}, the sources hash of the code that produced them (null: a reader only).
   */
  StudyRunJson(Path dir, String engine) {
    this.dir = dir;
    this.engine = engine;
  }

  Path file(String id) {
    return dir.resolve(id + ".json");
  }

  @Override
  public Optional<RunRecord> load(String id) throws IOException {
    Path f = file(id);
    return Files.exists(f) ? Optional.of(read(f)) : Optional.empty();
  }

  @Override
  public void save(RunRecord r) throws IOException {
    Files.createDirectories(dir);
    if (engine == null) {
      throw new IllegalStateException("a read-only store cannot save");
    }
    Map<String, Object> j = toJson(r);
    j.put("engine_sha256", engine);
    JsonFiles.write(file(r.id()), j);
  }

  static Map<String, Object> toJson(RunRecord r) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("format", FORMAT);
    j.put("id", r.id());
    j.put("task", r.task());
    j.put("rule", r.rule());
    j.put("seed", r.seed());
    j.put("setting", r.setting());
    j.put("setting_label", r.settingLabel());
    j.put("lr", r.lr());
    j.put("iterations", r.iterations());
    j.put("status", r.status().id());
    j.put("iterations_done", r.iterationsDone());
    j.put("diverged_at", r.divergedAt() < 0 ? null : r.divergedAt());
    j.put("reason", r.reason());
    if (r.hasTarget()) {
      j.put("target_train_loss", r.targetTrainLoss());
      j.put("reached_target_at", r.reachedTargetAt() < 0 ? null : r.reachedTargetAt());
    }
    j.put("final", finals(r));
    List<Object> t = new ArrayList<>();
    for (TrajectoryPoint p : r.trajectory()) {
      t.add(MetricsJson.point(p, false));
    }
    j.put("trajectory", t);
    return j;
  }

  /** The final numbers of a run, by their CSV/JSON names. */
  static Map<String, Object> finals(RunRecord r) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("train_loss", r.trainLoss());
    f.put("test_loss", r.testLoss());
    f.put("train_accuracy", r.trainAccuracy());
    f.put("test_accuracy", r.testAccuracy());
    f.put("gap", r.gap());
    f.put("accuracy_gap", r.accuracyGap());
    f.put("shifted_gap", r.shiftedGap());
    f.put("shifted_accuracy_gap", r.shiftedAccuracyGap());
    f.put("lambda_max", r.lambdaMax());
    f.put("two_over_eta", r.twoOverEta());
    f.put("seen_curvature", r.seenCurvature());
    f.put("grad_cosine", r.gradCosine());
    return f;
  }

  /** Reads a run file. */
  static RunRecord read(Path f) throws IOException {
    JsonNode j = JsonFiles.readTree(f);
    try {
      if (!FORMAT.equals(j.path("format").asText())) {
        throw new MalformedFileException(f, "not a tca study run file (format is not " + FORMAT
            + ")");
      }
      List<TrajectoryPoint> pts = new ArrayList<>();
      for (JsonNode p : j.get("trajectory")) {
        Map<String, Double> probes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : p.properties()) {
          if (!POINT_KEYS.contains(e.getKey())) {
            probes.put(e.getKey(), num(e.getValue()));
          }
        }
        pts.add(new TrajectoryPoint(p.get("iteration").asLong(), num(p.get("learning_rate")),
            num(p.get("train_loss")), num(p.get("train_accuracy")), num(p.get("test_loss")),
            num(p.get("test_accuracy")), num(p.get("shifted_loss")),
            num(p.get("shifted_accuracy")), num(p.get("l2_penalty")), num(p.get("batch_loss")),
            num(p.get("grad_norm")), probes));
      }
      JsonNode div = j.get("diverged_at");
      return new RunRecord(j.get("id").asText(), j.get("task").asText(),
          j.get("rule").asText(), j.get("seed").asLong(), j.get("setting").asText(),
          j.get("setting_label").asText(), num(j.get("lr")), j.get("iterations").asLong(),
          RunStatus.parse(j.get("status").asText()),
          j.get("iterations_done").asLong(), div == null || div.isNull() ? -1 : div.asLong(),
          j.path("reason").asText(""), pts, num(j.get("target_train_loss")));
    } catch (NullPointerException | IllegalArgumentException e) {
      throw new MalformedFileException(f, "a required key is missing or invalid");
    }
  }

  private static double num(JsonNode n) {
    return n == null || n.isNull() ? Double.NaN : n.asDouble();
  }
}
