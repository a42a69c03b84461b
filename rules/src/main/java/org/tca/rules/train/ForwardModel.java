package org.tca.rules.train;

import org.tca.numerics.kernels.FloatKernels;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatNetwork;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.FloatTrajectory;
import org.tca.rules.spiking.FloatSpikingNetwork;
import org.tca.rules.spiking.FloatSpikingTrajectory;
import org.tca.rules.spiking.SpikingRule;

/**
 * The network a {@link Trainer} evaluates: the rate RNN ({@link FloatNetwork}) or, for a
 * {@link SpikingRule}, the spiking network ({@link FloatSpikingNetwork}). Per batch of B trials
 * a {@link Pass} gives the data loss L = (1/B) sum_b sum_t (m_t / sum_s m_s) l_t (no L2, no
 * firing-rate term), the classification hits and, for spiking networks, the mean firing rate
 * r = sum_{t,b,j} z_t[b][j] / (T B N) in spikes per step; {@link #l2Penalty} is the L2 term.
 */
public sealed interface ForwardModel {

  /** One thread's storage for batches of at most B trials of T steps; remembers its last pass. */
  interface Pass {
    /** Runs the batch forward and returns its mean per-sample data loss L. */
    double loss(FloatParameters p, FloatBatch batch);

    /** Correct (sample, loss step) pairs of the last pass (classification). */
    int correct(FloatBatch batch);

    /** The mean firing rate of the last pass (spikes per step and unit); NaN for rate cells. */
    double firingRate();

    /** The bytes of its stored forward pass. */
    long sizeInBytes();
  }

  /** Storage for passes of at most {@code batch} trials of {@code steps} steps. */
  Pass newPass(int batch, int steps);

  /** (l2/2)(|W_in|^2 + |W_rec|^2 + |W_out|^2). */
  double l2Penalty(FloatParameters p);

  /** True for spiking networks (they have firing rates). */
  boolean spiking();

  /** The network {@code rule} trains, with the given kernels. */
  static ForwardModel of(FloatLearningRule rule, FloatKernels kernels) {
    if (rule instanceof SpikingRule s) {
      return new Spiking(new FloatSpikingNetwork(s.spikingConfig(), kernels));
    }
    return new Rate(new FloatNetwork(rule.config(), kernels));
  }

  /** The rate RNN. */
  record Rate(FloatNetwork network) implements ForwardModel {
    @Override
    public Pass newPass(int batch, int steps) {
      FloatTrajectory tr = new FloatTrajectory(network.config(), batch, steps);
      return new Pass() {
        @Override
        public double loss(FloatParameters p, FloatBatch b) {
          network.forward(p, b, tr);
          return network.loss(b, tr, null);
        }

        @Override
        public int correct(FloatBatch b) {
          return network.correct(b, tr);
        }

        @Override
        public double firingRate() {
          return Double.NaN;
        }

        @Override
        public long sizeInBytes() {
          return tr.sizeInBytes();
        }
      };
    }

    @Override
    public double l2Penalty(FloatParameters p) {
      return network.l2Penalty(p);
    }

    @Override
    public boolean spiking() {
      return false;
    }
  }

  /** The spiking network. */
  record Spiking(FloatSpikingNetwork network) implements ForwardModel {
    @Override
    public Pass newPass(int batch, int steps) {
      FloatSpikingTrajectory tr = new FloatSpikingTrajectory(network.config(), batch, steps);
      return new Pass() {
        @Override
        public double loss(FloatParameters p, FloatBatch b) {
          network.forward(p, b, tr);
          return network.loss(b, tr, null);
        }

        @Override
        public int correct(FloatBatch b) {
          return network.correct(b, tr);
        }

        @Override
        public double firingRate() {
          return network.meanRate(tr);
        }

        @Override
        public long sizeInBytes() {
          return tr.sizeInBytes();
        }
      };
    }

    @Override
    public double l2Penalty(FloatParameters p) {
      return network.l2Penalty(p);
    }

    @Override
    public boolean spiking() {
      return true;
    }
  }
}
