package org.tca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tca.numerics.io.MalformedFileException;
import org.tca.numerics.io.Npy;
import org.tca.numerics.io.NpyArray;
import org.tca.numerics.storage.DoubleMatrix;
import org.tca.numerics.storage.FloatMatrix;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.ParameterLayout;
import org.tca.rules.model.PrecisionConversion;
import org.tca.rules.model.RecurrentStructure;

/**
 * The on-disk layout that {@code tca gradient} writes (and {@code tca train} writes without
 * {@code batch/} and {@code grad/}), so users can check our numbers with their own code:
 *
 * <pre>
 *   DIR/model.json                  the model, its loss, the rule and its settings (see below)
 *   DIR/params/{W_in,W_rec,b_rec,W_out,b_out}.npy   [out, in] matrices, [n] biases (b_rec only
 *                                                    when the model has it)
 *   DIR/masks/W_rec_mask.npy        uint8 [N, N], 1 = entry exists (when the model is masked)
 *   DIR/masks/dale_sign.npy         int8 [N], sign of column j of W_rec (under Dale's law)
 *   DIR/aux/NAME.npy                every fixed non-parameter matrix the rule uses
 *   DIR/batch/x.npy                 [B, T, N_in] inputs, batch-major
 *   DIR/batch/target.npy            int32 labels [B] (or [B, T] per step), or [B, T, N_out]
 *   DIR/batch/loss_mask.npy         [T] weights m_t
 *   DIR/grad/BLOCK.npy              the rule's update direction, shaped like the parameters
 * </pre>
 *
 * Arrays are float32 for precision f32 and float64 for f64 (masks and labels excepted). The
 * model is {@code v_t = a v_{t-1} + (1-a)(W_in x_t + W_rec z_{t-1} + b_rec), z_t = f(v_t),
 * y_t = W_out z_t + b_out} (or the rate-leak cell), loss {@code mean_b sum_t m_t l_t / sum_t m_t
 * + (l2/2)(|W_in|^2 + |W_rec|^2 + |W_out|^2)}; model.json spells out a, the activation, the loss,
 * l2 and the masks. One class writes and reads it; {@link #read} accepts what {@link #write}
 * writes and names the file and the problem otherwise.
 */
public final class GradientDirectory {

  /** The value of model.json's "format" key. */
  public static final String FORMAT = "tca-model-1";

  /** The model's equations, written into model.json. */
  static final String EQUATIONS = "voltage-leak: v_t = a*v_{t-1} + (1-a)*(W_in x_t + W_rec z_{t-1}"
      + " + b_rec), z_t = f(v_t); rate-leak: h_t = (1-a)*h_{t-1} + a*f(W_in x_t + W_rec h_{t-1} +"
      + " b_rec), z_t = h_t; v_0 = z_0 = 0; y_t = W_out z_t + b_out; W is [out, in]; loss = mean"
      + " over the batch of sum_t m_t l_t / sum_t m_t + (l2/2)(|W_in|^2 + |W_rec|^2 + |W_out|^2),"
      + " l_t = cross-entropy of softmax(y_t) or mean squared error over the outputs";

  /**
   * What a directory holds.
   *
   * @param config the model
   * @param structure its W_rec mask and Dale signs
   * @param frozen the frozen blocks
   * @param precision "f32" or "f64"
   * @param parameters the parameters (f32 values are held exactly as f64)
   * @param batch the batch, or null
   * @param gradient the flat gradient in the parameter layout, or null
   * @param rule the rule's name, or null
   * @param ruleSettings the rule's settings
   * @param auxiliary fixed matrices of the rule, by file stem
   * @param info further model.json keys (task, seed, objective, ...), written as given; a model
   *     key given here (a spiking network's cell, neuron constants and equations) replaces the
   *     rate model's
   */
  public record Contents(ModelConfig config, RecurrentStructure structure, Set<Block> frozen,
      String precision, DoubleParameters parameters, DoubleBatch batch, double[] gradient,
      String rule, Map<String, Object> ruleSettings, Map<String, NpyArray> auxiliary,
      Map<String, Object> info) {

    /** The parameters in f32 (exact when the directory is f32), frozen flags set. */
    public FloatParameters floatParameters() {
      FloatParameters p = PrecisionConversion.narrow(parameters);
      for (Block b : Block.values()) {
        p.freeze(b, frozen.contains(b));
      }
      return p;
    }

    /** The parameters in f64, frozen flags set. */
    public DoubleParameters doubleParameters() {
      DoubleParameters p = new DoubleParameters(config, structure);
      System.arraycopy(parameters.data(), 0, p.data(), 0, p.data().length);
      for (Block b : frozen) {
        p.freeze(b, true);
      }
      return p;
    }

    /** The batch in f32 (time-major), or null. */
    public FloatBatch floatBatch() {
      return batch == null ? null : PrecisionConversion.narrow(batch);
    }
  }

  private GradientDirectory() {}

  /** The rule's fixed matrices as float32 arrays. */
  static Map<String, NpyArray> auxiliaryF32(Map<String, FloatMatrix> m) {
    Map<String, NpyArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, FloatMatrix> e : new java.util.TreeMap<>(m).entrySet()) {
      FloatMatrix x = e.getValue();
      out.put(e.getKey(), NpyArray.of(x.toDenseArray(), x.rows(), x.cols()));
    }
    return out;
  }

  /** The rule's fixed matrices as float64 arrays. */
  static Map<String, NpyArray> auxiliaryF64(Map<String, DoubleMatrix> m) {
    Map<String, NpyArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, DoubleMatrix> e : new java.util.TreeMap<>(m).entrySet()) {
      DoubleMatrix x = e.getValue();
      out.put(e.getKey(), NpyArray.of(x.toDenseArray(), x.rows(), x.cols()));
    }
    return out;
  }

  /** Writes {@code c} into {@code dir} (created if needed; files are replaced atomically). */
  public static void write(Path dir, Contents c) throws IOException {
    boolean f64 = "f64".equals(c.precision());
    Files.createDirectories(dir.resolve("params"));
    ParameterLayout layout = new ParameterLayout(c.config());
    for (Block b : Block.values()) {
      if (layout.has(b)) {
        BlockView v = layout.view(b);
        write(dir.resolve("params").resolve(b.id() + ".npy"), c.parameters().data(), v, f64);
      }
    }
    Map<String, Object> masks = new LinkedHashMap<>();
    RecurrentStructure s = c.structure();
    int n = c.config().hidden();
    if (s.hasMask() || s.dale()) {
      Files.createDirectories(dir.resolve("masks"));
    }
    if (s.hasMask()) {
      boolean[] m = s.maskCopy();
      byte[] bytes = new byte[m.length];
      for (int i = 0; i < m.length; i++) {
        bytes[i] = (byte) (m[i] ? 1 : 0);
      }
      Npy.write(dir.resolve("masks/W_rec_mask.npy"), NpyArray.ofUint8(bytes, n, n));
      masks.put("W_rec", "masks/W_rec_mask.npy");
    }
    if (s.dale()) {
      byte[] sign = new byte[n];
      for (int j = 0; j < n; j++) {
        sign[j] = (byte) s.sign(j);
      }
      Npy.write(dir.resolve("masks/dale_sign.npy"), NpyArray.ofInt8(sign, n));
      masks.put("dale_sign", "masks/dale_sign.npy");
    }
    Map<String, Object> aux = new LinkedHashMap<>();
    if (!c.auxiliary().isEmpty()) {
      Files.createDirectories(dir.resolve("aux"));
      for (Map.Entry<String, NpyArray> e : c.auxiliary().entrySet()) {
        String file = "aux/" + e.getKey() + ".npy";
        Npy.write(dir.resolve(file), e.getValue());
        aux.put(e.getKey(), file);
      }
    }
    if (c.batch() != null) {
      GradientBatchFiles.write(dir.resolve("batch"), c.batch(), f64);
    }
    if (c.gradient() != null) {
      Files.createDirectories(dir.resolve("grad"));
      for (Block b : Block.values()) {
        if (layout.has(b)) {
          write(dir.resolve("grad").resolve(b.id() + ".npy"), c.gradient(), layout.view(b), f64);
        }
      }
    }
    JsonFiles.write(dir.resolve("model.json"), modelJson(c, masks, aux));
  }

  private static void write(Path file, double[] flat, BlockView v, boolean f64)
      throws IOException {
    int[] shape = v.block().isMatrix() ? new int[] {v.rows(), v.cols()} : new int[] {v.rows()};
    double[] d = new double[v.size()];
    System.arraycopy(flat, v.offset(), d, 0, d.length);
    if (f64) {
      Npy.write(file, d, shape);
    } else {
      Npy.write(file, PrecisionConversion.narrow(d), shape);
    }
  }

  private static Map<String, Object> modelJson(Contents c, Map<String, Object> masks,
      Map<String, Object> aux) {
    ModelConfig m = c.config();
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("format", FORMAT);
    j.put("precision", c.precision());
    j.putAll(c.info());
    j.putAll(ModelJson.fields(m));
    j.put("excitatory", c.structure().excitatoryCount());
    j.put("masks", masks);
    List<String> frozen = new ArrayList<>();
    for (Block b : c.frozen()) {
      frozen.add(b.id());
    }
    j.put("frozen", frozen);
    if (c.rule() != null) {
      j.put("rule", c.rule());
      j.put("rule_settings", c.ruleSettings());
    }
    j.put("auxiliary", aux);
    j.put("equations", EQUATIONS);
    j.putAll(c.info()); // info may replace model keys (a spiking network's cell and equations)
    return j;
  }

  /** Reads a directory written by {@link #write} (batch and gradient when present). */
  public static Contents read(Path dir) throws IOException {
    Path modelFile = dir.resolve("model.json");
    if (!Files.isRegularFile(modelFile)) {
      throw new java.io.FileNotFoundException(modelFile + " does not exist (expected a directory"
          + " written by tca gradient or tca train)");
    }
    JsonNode j = JsonFiles.readTree(modelFile);
    ModelJson mj = new ModelJson(modelFile, j);
    if (!FORMAT.equals(mj.text("format"))) {
      throw new MalformedFileException(modelFile, "format is not " + FORMAT);
    }
    ModelConfig config = mj.config();
    int n = config.hidden();
    boolean[] allowed = null;
    if (config.masked()) {
      NpyArray mask = readShaped(dir.resolve("masks/W_rec_mask.npy"), n, n);
      allowed = new boolean[n * n];
      for (int i = 0; i < allowed.length; i++) {
        allowed[i] = mask.getAsDouble(i) != 0;
      }
    }
    RecurrentStructure s = RecurrentStructure.of(n, allowed, config.dale(),
        config.dale() ? mj.integer("excitatory") : n);
    DoubleParameters p = new DoubleParameters(config, s);
    ParameterLayout layout = p.layout();
    for (Block b : Block.values()) {
      if (layout.has(b)) {
        readBlock(dir.resolve("params").resolve(b.id() + ".npy"), layout.view(b), p.data(),
            true);
      }
    }
    Set<Block> frozen = EnumSet.noneOf(Block.class);
    for (JsonNode f : j.path("frozen")) {
      frozen.add(Block.parse(f.asText()));
    }
    double[] grad = null;
    if (Files.isDirectory(dir.resolve("grad"))) {
      grad = new double[layout.size()];
      for (Block b : Block.values()) {
        if (layout.has(b)) {
          readBlock(dir.resolve("grad").resolve(b.id() + ".npy"), layout.view(b), grad, false);
        }
      }
    }
    DoubleBatch batch = Files.isDirectory(dir.resolve("batch"))
        ? GradientBatchFiles.read(dir.resolve("batch"), config) : null;
    Map<String, NpyArray> aux = new LinkedHashMap<>();
    for (var e : j.path("auxiliary").properties()) {
      Path file = dir.resolve(e.getValue().asText());
      aux.put(e.getKey(), requireFinite(file, readArray(file)));
    }
    String rule = j.hasNonNull("rule") ? j.get("rule").asText() : null;
    Map<String, Object> settings = JsonFiles.toMap(j.path("rule_settings"));
    return new Contents(config, s, frozen, mj.text("precision"), p, batch, grad, rule, settings,
        aux, mj.info());
  }

  private static void readBlock(Path file, BlockView v, double[] dst, boolean finite)
      throws IOException {
    NpyArray a = v.block().isMatrix() ? readShaped(file, v.rows(), v.cols())
        : readShaped(file, v.rows());
    if (finite) {
      requireFinite(file, a);
    }
    for (int i = 0; i < v.size(); i++) {
      dst[v.offset() + i] = a.getAsDouble(i);
    }
  }

  /** Reads an array and checks its shape. */
  static NpyArray readShaped(Path file, int... shape) throws IOException {
    NpyArray a = readArray(file);
    if (!java.util.Arrays.equals(a.intShape(), shape)) {
      throw new MalformedFileException(file, "shape " + java.util.Arrays.toString(a.intShape())
          + ", expected " + java.util.Arrays.toString(shape));
    }
    return a;
  }

  /** Reads an array; a missing file is a {@link java.io.FileNotFoundException} naming it. */
  static NpyArray readArray(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new java.io.FileNotFoundException(file + " does not exist");
    }
    return Npy.read(file);
  }

  /**
   * Checks that every element of an input array (parameters, batch, auxiliary matrices) is
   * finite; the first NaN or infinity is a {@link MalformedFileException} naming the file and
   * the element's index.
   */
  static NpyArray requireFinite(Path file, NpyArray a) throws MalformedFileException {
    for (int i = 0; i < a.size(); i++) {
      double v = a.getAsDouble(i);
      if (!Double.isFinite(v)) {
        long[] index = new long[a.rank()];
        long rest = i;
        for (int k = a.rank() - 1; k >= 0; k--) {
          index[k] = rest % a.dim(k);
          rest /= a.dim(k);
        }
        throw new MalformedFileException(file, "element " + java.util.Arrays.toString(index)
            + " is " + v + "; inputs must be finite");
      }
    }
    return a;
  }
}
