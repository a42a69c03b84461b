package org.tca.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tca.numerics.io.AtomicFiles;
import org.tca.numerics.io.Npy;
import org.tca.numerics.io.NpyArray;
import org.tca.rules.optim.FloatOptimizerState;

/**
 * The learners' snapshots under DIR/learners/NAME: {@code params.npy} (the parameters, written
 * last), {@code state.json} (optimizer kind and counters, the names of its arrays, the reward
 * baseline, the learner's counters) and {@code optimizer.npy} (the optimizer's arrays as rows).
 * A service restarted on DIR opens a learner from its snapshot.
 */
final class LearnerSnapshots {

  private static final String STATE_FILE = "state.json";
  private static final String OPTIMIZER_FILE = "optimizer.npy";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  LearnerSnapshots(Path dir) {
    this.dir = dir;
  }

  static float[] readParams(Path file) throws IOException {
    NpyArray a = Npy.read(file);
    if (a.rank() != 1) {
      throw new ProtocolError(Protocol.E_MALFORMED, file + ": expected a 1-d float32 array, got "
          + "rank " + a.rank());
    }
    try {
      return a.floats();
    } catch (RuntimeException e) {
      throw new ProtocolError(Protocol.E_MALFORMED, file + ": expected float32 values, got "
          + a.dtype());
    }
  }

  /** DIR/learners/NAME/params.npy. */
  Path paramsFile(String name) {
    return dir.resolve("learners").resolve(name).resolve("params.npy");
  }

  /**
   * Writes the learner's snapshot into DIR/learners/NAME: {@code state.json} (the optimizer's
   * kind and counters, the names of its arrays, the reward baseline and the learner's counters;
   * doubles as Java writes them, which read back exactly), {@code optimizer.npy} (the optimizer's
   * arrays as rows of a float32 matrix, absent when it has none, e.g. SGD) and, last,
   * {@code params.npy}; each file is written atomically. Returns the params.npy path relative to
   * DIR.
   */
  String write(OnlineLearner l) throws IOException {
    Path file = paramsFile(l.config().name());
    Files.createDirectories(file.getParent());
    OnlineLearner.Saved saved = l.saved();
    FloatOptimizerState o = saved.optimizer();
    List<String> names = List.copyOf(o.arrays().keySet());
    Path matrix = file.resolveSibling(OPTIMIZER_FILE);
    if (names.isEmpty()) {
      Files.deleteIfExists(matrix);
    } else {
      int size = o.arrays().get(names.get(0)).length;
      float[] rows = new float[names.size() * size];
      for (int i = 0; i < names.size(); i++) {
        System.arraycopy(o.arrays().get(names.get(i)), 0, rows, i * size, size);
      }
      Npy.write(matrix, rows, names.size(), size);
    }
    ObjectNode state = JSON.createObjectNode();
    state.put("optimizer", o.kind());
    state.putPOJO("optimizer_arrays", names);
    state.putPOJO("optimizer_counters", o.counters());
    state.put("baseline", saved.baseline());
    state.put("steps", saved.steps());
    state.put("updates", saved.updates());
    state.put("sequences", saved.sequences());
    state.put("next_step", saved.nextStep());
    state.put("loss_sum", saved.lossSum());
    state.put("spikes", saved.spikes());
    state.put("spike_steps", saved.spikeSteps());
    AtomicFiles.write(file.resolveSibling(STATE_FILE), JSON.writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(state));
    float[] p = l.parameters().data();
    Npy.write(file, p, p.length);
    return dir.relativize(file).toString();
  }

  /**
   * Restores the learner from its snapshot: the parameters and, when {@code state.json} is
   * there (snapshots of protocol version 1 have none), the optimizer state and the counters.
   */
  void restore(OnlineLearner l) throws IOException {
    Path file = paramsFile(l.config().name());
    float[] params = readParams(file);
    Path stateFile = file.resolveSibling(STATE_FILE);
    OnlineLearner.Saved saved = null;
    if (Files.exists(stateFile)) {
      try {
        JsonNode st = JSON.readTree(Files.readAllBytes(stateFile));
        Map<String, float[]> arrays = new LinkedHashMap<>();
        JsonNode names = st.required("optimizer_arrays");
        if (!names.isEmpty()) {
          NpyArray m = Npy.read(file.resolveSibling(OPTIMIZER_FILE));
          if (m.rank() != 2 || m.dim(0) != names.size()) {
            throw new IOException(OPTIMIZER_FILE + " does not hold " + names.size() + " rows");
          }
          float[] rows = m.floats();
          int size = (int) m.dim(1);
          for (int i = 0; i < names.size(); i++) {
            arrays.put(names.get(i).asText(), Arrays.copyOfRange(rows, i * size, (i + 1) * size));
          }
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        st.required("optimizer_counters").properties()
            .forEach(e -> counters.put(e.getKey(), e.getValue().asLong()));
        saved = new OnlineLearner.Saved(new FloatOptimizerState(
            st.required("optimizer").asText(), arrays, counters),
            st.required("baseline").asDouble(), st.required("steps").asLong(),
            st.required("updates").asLong(), st.required("sequences").asLong(),
            st.required("next_step").asInt(), st.required("loss_sum").asDouble(),
            st.path("spikes").asLong(0), st.path("spike_steps").asLong(0)); // 0: before v3
      } catch (IOException | IllegalArgumentException | NullPointerException e) {
        throw new ProtocolError(Protocol.E_IO, "the snapshot in " + file.getParent()
            + " is unreadable (" + e.getMessage() + "); delete it or open under another name");
      }
    }
    try {
      l.restore(params, saved);
    } catch (IllegalArgumentException e) {
      throw new ProtocolError(Protocol.E_BAD_CONFIG, "the snapshot in " + file.getParent()
          + " does not fit this learner: " + e.getMessage()
          + " (open under another name, or delete the snapshot)");
    }
  }
}
