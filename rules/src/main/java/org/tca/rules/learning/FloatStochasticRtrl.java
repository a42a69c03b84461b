package org.tca.rules.learning;

import java.util.Map;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * What UORO, KF-RTRL and R-KF-RTRL share: a random, unbiased, low-rank estimate M~_t of RTRL's
 * influence matrix (E[M~_t] = M_t over the random signs; the recursion, J_t, d_t, q_t and c_t in
 * {@link FloatApproximateRtrl}).
 *
 * <p>Random signs: each sequence draws its signs from its own stream, the child of the rule's
 * seed keyed by a hash of the parameters and of the sequence's inputs, so the estimate is a
 * function of (seed, parameters, sample) only: the same bits on any thread count, shard layout or
 * resume, and fresh signs after every update of the parameters. Online (B = 1) the stream is
 * keyed at t = 0 by the parameters of that moment.
 */
abstract class FloatStochasticRtrl extends FloatApproximateRtrl {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  final long seed;
  /** Test hook: the right factor gets signs of its own, independent of the left's (biased). */
  final boolean decorrelated;
  private final RandomStream root;

  FloatStochasticRtrl(ModelConfig config, long seed, boolean decorrelated, FloatKernels kernels) {
    super(config, kernels);
    this.seed = seed;
    this.decorrelated = decorrelated;
    this.root = new RandomStream(seed);
  }

  /** The estimate's factors and signs, in words, for {@link #settings()}. */
  abstract String estimate();

  @Override
  public final long stateBytesPerSample(int steps) {
    return (long) Float.BYTES * ((long) leftSize() + rightSize());
  }

  /** The seed of the random signs. */
  public final long seed() {
    return seed;
  }

  @Override
  final void addSettings(Map<String, Object> s) {
    s.put("sign_seed", seed);
    s.put("sign_stream", "RandomStream(seed).child(hash(parameters, sample inputs))");
    s.put("estimate", estimate());
  }

  @Override
  final void startSequence(FloatParameters p, FloatBatch batch, int b,
      FloatApproximateRtrlWorkspace ws) {
    ws.signs.setToChild(root, sampleKey(parameterKey(p), batch, b));
  }

  /** A hash of every parameter's value (as a double, so both precisions agree on equal values). */
  private static long parameterKey(FloatParameters p) {
    float[] w = p.data();
    long h = 0;
    for (int i = 0; i < w.length; i++) {
      h = (h ^ Double.doubleToLongBits(w[i])) * GOLDEN;
    }
    return h;
  }

  /** The key of sample b's sign stream: the parameter key mixed with its inputs over all steps. */
  private static long sampleKey(long key, FloatBatch batch, int b) {
    long h = key;
    float[] x = batch.x();
    for (int t = 0; t < batch.steps(); t++) {
      int off = batch.xOffset(t, b);
      for (int i = 0; i < batch.inputs(); i++) {
        h = (h ^ Double.doubleToLongBits(x[off + i])) * GOLDEN;
      }
    }
    return h;
  }
}
