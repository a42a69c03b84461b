package org.tca.rules.model;

import org.tca.numerics.kernels.Activation;

/**
 * Everything that fixes the leaky rate RNN and its loss (not the data, not the learning rule):
 *
 * <pre>
 *   v_t = a v_{t-1} + (1 - a) (W_in x_t + W_rec z_{t-1} + b_rec),  z_t = f(v_t),  v_0 = z_0 = 0
 *   y_t = W_out z_t + b_out
 *   J = mean_b [ sum_t m_t l_t / sum_t m_t ] + (l2/2) (|W_in|^2 + |W_rec|^2 + |W_out|^2)
 * </pre>
 *
 * (or the {@link Cell#RATE_LEAK rate-leak cell}), with W_rec restricted to its allowed entries
 * (no autapses by default, optional sparse mask) and, under Dale's law, column j of W_rec
 * carrying the fixed sign of neuron j (the first round(excitatoryFraction * N) neurons
 * excitatory). Defaults are the paper's: voltage-leak, ReLU, a = 0, b_rec on, cross-entropy,
 * l2 = 1e-2, no autapses, no Dale, dense. Immutable; build with {@link #builder}.
 */
public record ModelConfig(int inputs, int hidden, int outputs, Cell cell, Activation activation,
    double leak, boolean recurrentBias, LossKind loss, double l2, boolean noAutapse, boolean dale,
    double excitatoryFraction, double connectionProbability) {

  /** Validates every field. */
  public ModelConfig {
    if (inputs < 1 || hidden < 1 || outputs < 1) {
      throw new IllegalArgumentException(
          "sizes must be >= 1: inputs=" + inputs + " hidden=" + hidden + " outputs=" + outputs);
    }
    if (parameterCount(inputs, hidden, outputs, recurrentBias) > ArrayLength.MAX) {
      throw new IllegalArgumentException("a network of N=" + hidden + " hidden units has "
          + parameterCount(inputs, hidden, outputs, recurrentBias) + " parameters, more than one"
          + " Java array holds (" + ArrayLength.MAX + ", about N=46000 at most)");
    }
    if (cell == null || activation == null || loss == null) {
      throw new IllegalArgumentException("cell, activation and loss are required");
    }
    if (!cell.validLeak(leak)) {
      throw new IllegalArgumentException("leak a=" + leak + " is invalid for the " + cell.id()
          + " cell (voltage-leak: 0 <= a < 1, rate-leak: 0 < a <= 1)");
    }
    if (!(l2 >= 0)) {
      throw new IllegalArgumentException("l2 must be >= 0, got " + l2);
    }
    if (dale && !(excitatoryFraction >= 0 && excitatoryFraction <= 1)) {
      throw new IllegalArgumentException("excitatory fraction must be in [0, 1]: " + excitatoryFraction);
    }
    if (!(connectionProbability > 0 && connectionProbability <= 1)) {
      throw new IllegalArgumentException(
          "connection probability must be in (0, 1], got " + connectionProbability);
    }
  }

  /** A builder with the paper's defaults. */
  public static Builder builder(int inputs, int hidden, int outputs) {
    return new Builder(inputs, hidden, outputs);
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    Builder b = new Builder(inputs, hidden, outputs);
    b.cell = cell;
    b.activation = activation;
    b.leak = leak;
    b.recurrentBias = recurrentBias;
    b.loss = loss;
    b.l2 = l2;
    b.noAutapse = noAutapse;
    b.dale = dale;
    b.excitatoryFraction = excitatoryFraction;
    b.connectionProbability = connectionProbability;
    return b;
  }

  /** Number of parameters: N N_in + N^2 + N (b_rec) + N_out N + N_out, as a long. */
  public long parameterCount() {
    return parameterCount(inputs, hidden, outputs, recurrentBias);
  }

  private static long parameterCount(long nIn, long n, long nOut, boolean bias) {
    return n * nIn + n * n + (bias ? n : 0) + nOut * n + nOut;
  }

  /** Number of excitatory neurons (columns) under Dale's law; N when Dale is off. */
  public int excitatoryCount() {
    return dale ? (int) Math.round(excitatoryFraction * hidden) : hidden;
  }

  /** True when some W_rec entries are held at zero (autapses removed or a sparse mask). */
  public boolean masked() {
    return noAutapse || connectionProbability < 1;
  }

  /** Builder for {@link ModelConfig}; every setter returns this. */
  public static final class Builder {
    private final int inputs;
    private final int hidden;
    private final int outputs;
    private Cell cell = Cell.VOLTAGE_LEAK;
    private Activation activation = Activation.RELU;
    private double leak = 0.0;
    private boolean recurrentBias = true;
    private LossKind loss = LossKind.CROSS_ENTROPY;
    private double l2 = 1e-2;
    private boolean noAutapse = true;
    private boolean dale = false;
    private double excitatoryFraction = 0.8;
    private double connectionProbability = 1.0;

    private Builder(int inputs, int hidden, int outputs) {
      this.inputs = inputs;
      this.hidden = hidden;
      this.outputs = outputs;
    }

    /** The cell (default voltage-leak). Set the cell before {@link #tau}. */
    public Builder cell(Cell c) {
      this.cell = c;
      return this;
    }

    /** f (default ReLU). */
    public Builder activation(Activation f) {
      this.activation = f;
      return this;
    }

    /** The leak a itself (default 0). */
    public Builder leak(double a) {
      this.leak = a;
      return this;
    }

    /** The leak from a time constant, via {@link Cell#leakFromTau} of the current cell. */
    public Builder tau(double tau, double dt) {
      this.leak = cell.leakFromTau(tau, dt);
      return this;
    }

    /** Whether b_rec exists (default true). */
    public Builder recurrentBias(boolean on) {
      this.recurrentBias = on;
      return this;
    }

    /** The loss (default cross-entropy). */
    public Builder loss(LossKind k) {
      this.loss = k;
      return this;
    }

    /** The L2 coefficient lambda in (lambda/2)|W|^2 (default 1e-2). */
    public Builder l2(double lambda) {
      this.l2 = lambda;
      return this;
    }

    /** Whether self-connections W_rec[i][i] are held at 0 (default true). */
    public Builder noAutapse(boolean on) {
      this.noAutapse = on;
      return this;
    }

    /** Dale's law with the default 80% excitatory neurons. */
    public Builder dale(boolean on) {
      this.dale = on;
      return this;
    }

    /** Fraction of excitatory neurons under Dale's law (default 0.8). */
    public Builder excitatoryFraction(double f) {
      this.excitatoryFraction = f;
      return this;
    }

    /** Probability that an (allowed) W_rec entry exists (default 1, dense). */
    public Builder connectionProbability(double p) {
      this.connectionProbability = p;
      return this;
    }

    /** The validated config. */
    public ModelConfig build() {
      return new ModelConfig(inputs, hidden, outputs, cell, activation, leak, recurrentBias, loss,
          l2, noAutapse, dale, excitatoryFraction, connectionProbability);
    }
  }
}
