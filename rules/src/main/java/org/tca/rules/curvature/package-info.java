/**
 * Curvature of the TRUE loss of the rate RNN, whichever rule trained it: exact Hessian-vector
 * products by forward-over-reverse differentiation over any set of parameter blocks
 * ({@link org.tca.rules.curvature.FloatHessianVectorProduct}, its f64 twin, and the data-set
 * average {@link org.tca.rules.curvature.FloatDatasetHessian}), extreme eigenpairs by Lanczos and
 * the published power-iteration recipe ({@link org.tca.rules.curvature.HessianEigensolver}),
 * trace by Hutchinson and Hutch++ ({@link org.tca.rules.curvature.HessianTrace}), spectral
 * density by stochastic Lanczos quadrature
 * ({@link org.tca.rules.curvature.StochasticLanczosQuadrature}), and the theory probes:
 * seen-curvature ({@link org.tca.rules.curvature.FloatSeenCurvature}) and the trainer hook
 * {@link org.tca.rules.curvature.CurvatureProbe}.
 */
package org.tca.rules.curvature;
