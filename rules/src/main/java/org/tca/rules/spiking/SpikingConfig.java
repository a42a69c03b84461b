package org.tca.rules.spiking;

import org.tca.rules.model.ModelConfig;

/**
 * A recurrent spiking network of LIF and ALIF neurons (dt = 1 ms) with a leaky readout, on top of
 * a {@link ModelConfig} that fixes the sizes, the parameter blocks (no b_rec), the loss, the L2
 * term and the W_rec structure (no autapses, Dale's law, sparse mask). Units 0..N-N_a-1 are LIF,
 * the last N_a = {@link #adaptiveCount} are ALIF. With slot 0 all zeros and t = 1..T:
 *
 * <pre>
 *   v_t = alpha v_{t-1} + W_in x_t + W_rec z_{t-1} - v_th z_{t-1}   (reset by subtraction)
 *   a_t = rho a_{t-1} + z_{t-1}                                       (ALIF; a = 0 for LIF)
 *   A_t = v_th + beta_j a_t                                           (beta_j = 0 for LIF)
 *   z_t = H(v_t - A_t), held at 0 for n_ref steps after a spike (refractory)
 *   psi_t = gamma max(0, 1 - |v_t - A_t| / v_th) / v_th              (0 while refractory)
 *   y_t = kappa y_{t-1} + W_out z_t + b_out                           (leaky readout)
 *   J = mean_b [ sum_t m_t l_t / sum_t m_t ] + (c_r/2) mean_b sum_j (r_bj - r_0)^2
 *       + (l2/2)(|W_in|^2 + |W_rec|^2 + |W_out|^2),   r_bj = (1/T) sum_t z_t[b][j]
 * </pre>
 *
 * alpha = exp(-1/tau_m), rho = exp(-1/tau_a), kappa = exp(-1/tau_out). Every rule uses psi in place
 * of H'. The firing-rate term is per sample (mean over the batch), so samples stay independent.
 *
 * @param base sizes, loss, L2 and W_rec structure (its cell, activation and leak are unused)
 * @param adaptiveCount N_a, the number of ALIF units (the last ones)
 * @param tauMembrane tau_m in ms
 * @param tauAdaptation tau_a in ms
 * @param beta the adaptation strength of ALIF units
 * @param threshold v_th
 * @param dampening gamma of the pseudo-derivative
 * @param refractory n_ref, steps a neuron stays silent after a spike
 * @param tauReadout tau_out in ms of the leaky readout
 * @param rateCost c_r of the firing-rate term (0: off)
 * @param targetRate r_0 in spikes per step (0.01 = 10 Hz)
 */
public record SpikingConfig(ModelConfig base, int adaptiveCount, double tauMembrane,
    double tauAdaptation, double beta, double threshold, double dampening, int refractory,
    double tauReadout, double rateCost, double targetRate) {

  /** The model equations as model.json's "equations" string. */
  public static final String EQUATIONS = "spiking LIF/ALIF, dt = 1 ms: v_t = alpha v_{t-1} + W_in"
      + " x_t + W_rec z_{t-1} - v_th z_{t-1}; a_t = rho a_{t-1} + z_{t-1} (ALIF units, a = 0 for"
      + " LIF); z_t = H(v_t - v_th - beta a_t), 0 for n_ref steps after a spike; pseudo-derivative"
      + " psi_t = gamma max(0, 1 - |v_t - v_th - beta a_t| / v_th) / v_th in place of H'; y_t ="
      + " kappa y_{t-1} + W_out z_t + b_out; loss = mean over the batch of sum_t m_t l_t / sum_t"
      + " m_t + (c_r/2) mean_b sum_j (r_bj - r_0)^2 + (l2/2)(|W_in|^2 + |W_rec|^2 + |W_out|^2),"
      + " r_bj = (1/T) sum_t z_t[b][j]; alpha = exp(-1/tau_m), rho = exp(-1/tau_a), kappa ="
      + " exp(-1/tau_out)";

  /** Validates every field (one-line messages naming the field). */
  public SpikingConfig {
    if (base == null) {
      throw new IllegalArgumentException("a spiking config needs a base model config");
    }
    if (base.recurrentBias()) {
      throw new IllegalArgumentException("spiking cells have no recurrent bias b_rec: build the"
          + " base config with recurrentBias(false)");
    }
    if (adaptiveCount < 0 || adaptiveCount > base.hidden()) {
      throw new IllegalArgumentException("the number of ALIF units must be in [0, N=" + base.hidden()
          + "], got " + adaptiveCount);
    }
    positive("tau_m", tauMembrane);
    positive("tau_a", tauAdaptation);
    positive("tau_out", tauReadout);
    positive("v_th", threshold);
    positive("gamma", dampening);
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be >= 0 and finite, got " + beta);
    }
    if (refractory < 0) {
      throw new IllegalArgumentException("the refractory period must be >= 0 steps, got "
          + refractory);
    }
    if (!(rateCost >= 0) || Double.isInfinite(rateCost)) {
      throw new IllegalArgumentException("the firing-rate cost must be >= 0, got " + rateCost);
    }
    if (!(targetRate >= 0 && targetRate <= 1)) {
      throw new IllegalArgumentException(
          "the target rate must be in [0, 1] spikes per step, got " + targetRate);
    }
  }

  private static void positive(String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be > 0 and finite, got " + v);
    }
  }

  /**
   * The published evidence-accumulation neuron settings (Bellec et al. 2020) on {@code base}:
   * half the units ALIF, tau_m = 20, tau_a = 2000, beta = 1.8, v_th = 0.6, gamma = 0.3,
   * n_ref = 5, tau_out = 20, no rate term (set it with {@link #withRate}).
   */
  public static SpikingConfig published(ModelConfig base) {
    return new SpikingConfig(base, base.hidden() / 2, 20, 2000, 1.8, 0.6, 0.3, 5, 20, 0, 0.01);
  }

  /** This config with another number of ALIF units. */
  public SpikingConfig withAdaptive(int count) {
    return new SpikingConfig(base, count, tauMembrane, tauAdaptation, beta, threshold, dampening,
        refractory, tauReadout, rateCost, targetRate);
  }

  /** This config with another refractory period. */
  public SpikingConfig withRefractory(int steps) {
    return new SpikingConfig(base, adaptiveCount, tauMembrane, tauAdaptation, beta, threshold,
        dampening, steps, tauReadout, rateCost, targetRate);
  }

  /** This config with a firing-rate term of cost c_r toward r_0 spikes per step. */
  public SpikingConfig withRate(double cost, double target) {
    return new SpikingConfig(base, adaptiveCount, tauMembrane, tauAdaptation, beta, threshold,
        dampening, refractory, tauReadout, cost, target);
  }

  /** This config with other time constants (ms). */
  public SpikingConfig withTimeConstants(double tauM, double tauA, double tauOut) {
    return new SpikingConfig(base, adaptiveCount, tauM, tauA, beta, threshold, dampening,
        refractory, tauOut, rateCost, targetRate);
  }

  /** N. */
  public int hidden() {
    return base.hidden();
  }

  /** Index of the first ALIF unit (N - N_a). */
  public int firstAdaptive() {
    return base.hidden() - adaptiveCount;
  }

  /** alpha = exp(-1/tau_m). */
  public double alpha() {
    return Math.exp(-1.0 / tauMembrane);
  }

  /** rho = exp(-1/tau_a). */
  public double rho() {
    return Math.exp(-1.0 / tauAdaptation);
  }

  /** kappa = exp(-1/tau_out). */
  public double kappa() {
    return Math.exp(-1.0 / tauReadout);
  }
}
