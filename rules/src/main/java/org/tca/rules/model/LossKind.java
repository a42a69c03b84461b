package org.tca.rules.model;

/**
 * The per-step loss l_t on the readout y_t, taken at the loss steps of a batch (its loss mask):
 *
 * <ul>
 *   <li>{@link #CROSS_ENTROPY}: l_t = -log softmax(y_t)[label], dl/dy_t = softmax(y_t) - onehot.</li>
 *   <li>{@link #MSE}: l_t = (1/N_out) sum_k (y_{t,k} - y*_{t,k})^2, dl/dy_t = (2/N_out)(y_t - y*_t)
 *       (PyTorch's MSELoss with mean reduction).</li>
 * </ul>
 *
 * The per-sample loss is the mask-weighted mean over steps, sum_t m_t l_t / sum_t m_t, and the
 * batch loss the mean over samples, plus (l2/2)(|W_in|^2 + |W_rec|^2 + |W_out|^2).
 */
public enum LossKind {
  CROSS_ENTROPY("cross-entropy"),
  MSE("mse");

  private final String id;

  LossKind(String id) {
    this.id = id;
  }

  /** The command-line name: "cross-entropy" or "mse". */
  public String id() {
    return id;
  }

  /** Parses {@link #id()} (also accepts "ce"). */
  public static LossKind parse(String id) {
    if ("ce".equals(id)) {
      return CROSS_ENTROPY;
    }
    for (LossKind k : values()) {
      if (k.id.equals(id)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown loss '" + id + "' (expected cross-entropy or mse)");
  }
}
