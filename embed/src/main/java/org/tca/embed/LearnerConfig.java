package org.tca.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;
import org.tca.numerics.kernels.Activation;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.Cell;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.OptimizerSettings;
import org.tca.rules.spiking.FloatSpikingRules;
import org.tca.rules.spiking.SpikingCell;
import org.tca.rules.spiking.SpikingConfig;
import org.tca.rules.spiking.SpikingInitialization;

/**
 * What an OPEN request asks for: the model, the online rule, the optimizer and its constant
 * learning rate eta (theta <- theta - eta g_t after every step, g_t the rule's per-step estimate),
 * the seed of the initial parameters and the sequence length T (w_t = 1/T; after T steps the
 * recurrent state and the traces restart).
 *
 * @param name the learner's name: its snapshot is DIR/learners/NAME/params.npy
 * @param model the network
 * @param rule an online rule id of {@link FloatRules}
 * @param options the rule's options (feedback seed, truncation window)
 * @param optimizer the optimizer
 * @param learningRate eta
 * @param clipNorm gradient-norm clip (0: none)
 * @param seed seed of the initial parameters
 * @param steps T
 * @param baselineRate beta of the reward baseline b_{t+1} = b_t + beta (r_t - b_t) (LEARN with
 *     a reward; {@link OnlineLearner#learnReward})
 * @param spiking the spiking network ({@code cell} lif, alif or lif-alif; {@code model} is its
 *     base), or null for a rate network
 */
public record LearnerConfig(String name, ModelConfig model, String rule, RuleOptions options,
    OptimizerSettings optimizer, double learningRate, double clipNorm, long seed, int steps,
    double baselineRate, SpikingLearnerConfig spiking) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Set<String> KEYS = Set.of("name", "inputs", "hidden", "outputs", "cell",
      "activation", "leak", "loss", "l2", "recurrent_bias", "rule", "feedback_seed", "window",
      "optimizer", "lr", "clip_norm", "seed", "steps", "baseline_rate");

  /** Validates the fields. */
  public LearnerConfig {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("learner name '" + name
          + "' must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    }
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("lr must be finite and >= 0, got " + learningRate);
    }
    if (!(baselineRate >= 0 && baselineRate <= 1)) {
      throw new IllegalArgumentException("baseline_rate must be in [0, 1], got " + baselineRate);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
  }

  /** The rule this config names (checked to have an online mode). */
  public FloatLearningRule newRule() {
    FloatLearningRule r = spiking == null ? FloatRules.create(rule, model, options)
        : FloatSpikingRules.create(rule, spiking.network(), options);
    if (!r.supportsOnline()) {
      SpikingConfig s = spiking == null ? null : spiking.network();
      boolean rateTerm = s != null && s.rateCost() > 0 && FloatSpikingRules.create(rule,
          s.withRate(0, s.targetRate()), options).supportsOnline();
      throw new IllegalArgumentException("rule '" + rule + "' has no online mode" + (rateTerm
          ? " with a firing-rate term on spiking cells (set rate_cost 0)" : ""));
    }
    return r;
  }

  /**
   * The initial parameters from {@link #seed}: the rate network's, or for spiking cells
   * {@link SpikingInitialization}'s (W_in and W_rec scaled to the threshold).
   */
  public FloatParameters newParameters() {
    return spiking == null ? FloatParameters.initialize(model, seed)
        : SpikingInitialization.initialize(spiking.network(), seed, spiking.inputGain());
  }

  /**
   * Parses the JSON of an OPEN request, e.g. {@code {"name": "a", "inputs": 28, "hidden": 128,
   * "outputs": 1, "loss": "mse", "rule": "eprop", "optimizer": "adam", "lr": 1e-3, "seed": 1,
   * "steps": 100}}; {@code "cell": "lif" | "alif" | "lif-alif"} makes it a spiking network
   * ({@link SpikingLearnerConfig}: the neuron keys, an online spiking rule). Unknown keys, keys
   * of the other kind of cell and bad values are errors naming the key.
   */
  public static LearnerConfig parse(String json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("learner config is not valid JSON: "
          + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("learner config must be a JSON object");
    }
    Set<String> known = new java.util.TreeSet<>(KEYS);
    known.addAll(SpikingLearnerConfig.KEYS);
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        throw new IllegalArgumentException("unknown learner config key '" + k + "' (known: "
            + String.join(", ", known) + ")");
      }
    }
    String cell = text(root, "cell", Cell.VOLTAGE_LEAK.id());
    SpikingCell spikingCell = SpikingCell.isSpiking(cell) ? SpikingCell.parse(cell) : null;
    ModelConfig.Builder b = ModelConfig.builder(integer(root, "inputs", -1),
            integer(root, "hidden", -1), integer(root, "outputs", -1))
        .loss(LossKind.parse(text(root, "loss", LossKind.MSE.id())))
        .l2(number(root, "l2", 0.0));
    SpikingLearnerConfig spiking = null;
    ModelConfig model;
    if (spikingCell != null) {
      model = b.recurrentBias(false).build();
      spiking = SpikingLearnerConfig.parse(root, spikingCell, model);
    } else {
      for (String k : SpikingLearnerConfig.KEYS) {
        if (root.has(k)) {
          throw new IllegalArgumentException("learner config key '" + k + "' is for spiking"
              + " cells (cell " + SpikingCell.names() + "); cell " + cell + " is a rate cell");
        }
      }
      Cell c;
      try {
        c = Cell.parse(cell);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("learner config key 'cell': unknown cell '" + cell
            + "' (rate: voltage-leak, rate-leak; spiking: " + SpikingCell.names() + ")");
      }
      model = b.cell(c)
          .activation(Activation.parse(text(root, "activation", Activation.RELU.id())))
          .leak(number(root, "leak", 0.0))
          .recurrentBias(root.path("recurrent_bias").asBoolean(true))
          .build();
    }
    RuleOptions options = RuleOptions.defaults()
        .withFeedbackSeed(integer(root, "feedback_seed", (int) RuleOptions.DEFAULT_FEEDBACK_SEED))
        .withWindow(integer(root, "window", RuleOptions.defaults().window()));
    return new LearnerConfig(text(root, "name", "learner"), model, text(root, "rule", "eprop"),
        options, OptimizerSettings.of(text(root, "optimizer", "sgd")), number(root, "lr", 1e-3),
        number(root, "clip_norm", 0.0), integer(root, "seed", 1), integer(root, "steps", -1),
        number(root, "baseline_rate", 0.1), spiking);
  }

  static String text(JsonNode root, String key, String dflt) {
    JsonNode v = root.get(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("learner config key '" + key + "' must be a string");
    }
    return v.asText();
  }

  static double number(JsonNode root, String key, double dflt) {
    JsonNode v = root.get(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException("learner config key '" + key + "' must be a number");
    }
    return v.asDouble();
  }

  static int integer(JsonNode root, String key, int dflt) {
    JsonNode v = root.get(key);
    if (v == null) {
      if (dflt < 0) {
        throw new IllegalArgumentException("learner config needs key '" + key + "'");
      }
      return dflt;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("learner config key '" + key + "' must be an integer");
    }
    return v.asInt();
  }
}
