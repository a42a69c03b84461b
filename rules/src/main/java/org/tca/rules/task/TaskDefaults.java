package org.tca.rules.task;

/**
 * The training settings a task suggests for the options a user leaves out: the paper's where it
 * has them (sMNIST: N = 128, B = 256, SGD at 1e-2, a = 0, 10,000 iterations; delayed XOR:
 * N = 120, B = 32, Adam at 5e-4, tau = 100 steps), e-prop's for pattern generation and evidence
 * accumulation; for the cognitive tasks the settings their learning tests pass with (N = 32,
 * B = 32, Adam at 1e-2, tau = 5 steps; 500 iterations, 1500 for ready-set-go). One per
 * {@link Tasks.Entry}.
 *
 * @param hidden N
 * @param batch B
 * @param optimizer optimizer kind
 * @param learningRate eta
 * @param tau time constant in steps (dt = 1), or NaN for a = 0
 * @param iterations training iterations
 */
public record TaskDefaults(int hidden, int batch, String optimizer, double learningRate,
    double tau, long iterations) {}
