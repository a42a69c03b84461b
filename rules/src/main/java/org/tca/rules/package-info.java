/**
 * The tca engine library: RNN model, learning rules, optimizers, tasks, curvature, training and
 * studies. Built on {@code org.tca.numerics}; knows nothing of the command line.
 */
package org.tca.rules;
