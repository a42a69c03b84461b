package org.tca.rules.model;

/**
 * The recurrent cell: how the leak enters. With u_t = W_in x_t + W_rec z_{t-1} + b_rec:
 *
 * <ul>
 *   <li>{@link #VOLTAGE_LEAK} (the paper's, default): v_t = a v_{t-1} + (1 - a) u_t,
 *       z_t = f(v_t); the state is v, f' is taken at v_t; a = exp(-dt/tau), a = 0 is a plain RNN.</li>
 *   <li>{@link #RATE_LEAK} (Murray's RFLO, CTRNN code): h_t = (1 - a) h_{t-1} + a f(u_t), z_t = h_t;
 *       the state is h, f' is taken at u_t; a = dt/tau, a = 1 is a plain RNN.</li>
 * </ul>
 *
 * Both share one backward recursion with g_t = dL/d(state_t) and gz_t = dL/dz_t (readout plus
 * the recurrent path W_rec' du_{t+1}):
 * voltage: g_t = f'(v_t) gz_t + a g_{t+1}, du_t = (1 - a) g_t;
 * rate: g_t = gz_t + (1 - a) g_{t+1}, du_t = a f'(u_t) g_t.
 * {@link #stateDecay} and {@link #inputGain} give the two coefficients.
 */
public enum Cell {
  VOLTAGE_LEAK("voltage-leak"),
  RATE_LEAK("rate-leak");

  private final String id;

  Cell(String id) {
    this.id = id;
  }

  /** The command-line name: "voltage-leak" or "rate-leak". */
  public String id() {
    return id;
  }

  /** Coefficient of the previous state: a (voltage-leak) or 1 - a (rate-leak). */
  public double stateDecay(double a) {
    return this == VOLTAGE_LEAK ? a : 1.0 - a;
  }

  /** Coefficient of the new drive: 1 - a (voltage-leak, on u_t) or a (rate-leak, on f(u_t)). */
  public double inputGain(double a) {
    return this == VOLTAGE_LEAK ? 1.0 - a : a;
  }

  /** The leak a for a time constant: exp(-dt/tau) (voltage-leak) or dt/tau (rate-leak). */
  public double leakFromTau(double tau, double dt) {
    if (!(tau > 0) || !(dt > 0)) {
      throw new IllegalArgumentException("tau and dt must be > 0, got tau=" + tau + " dt=" + dt);
    }
    return this == VOLTAGE_LEAK ? Math.exp(-dt / tau) : Math.min(1.0, dt / tau);
  }

  /** True when a is a valid leak for this cell: [0, 1) for voltage-leak, (0, 1] for rate-leak. */
  public boolean validLeak(double a) {
    return this == VOLTAGE_LEAK ? a >= 0 && a < 1 : a > 0 && a <= 1;
  }

  /** Parses {@link #id()}. */
  public static Cell parse(String id) {
    for (Cell c : values()) {
      if (c.id.equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown cell '" + id + "' (expected voltage-leak or rate-leak)");
  }
}
