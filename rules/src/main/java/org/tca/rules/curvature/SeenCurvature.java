package org.tca.rules.curvature;

/**
 * How much of the curvature along a direction v a learning rule "sees"
 * (docs/science.md, section "Seen curvature"): with G the Jacobian of the rule's update field
 * g(theta) and H the Hessian of the true loss,
 *
 * <pre>
 *   c = v'Gv / v'Hv
 * </pre>
 *
 * (c = 1 for the exact gradient; a rule that sees c &lt; 1 of the curvature along the top
 * eigenvector v1 can settle where lambda_max approaches 2 / (c eta)).
 *
 * @param seen c
 * @param directional v'Gv / v'v, from central differences of the update field
 * @param curvature v'Hv / v'v, from an exact Hessian-vector product
 * @param step the finite-difference step: the parameters moved by +-step along v / ||v||
 * @param kinks ReLU pre-activations that change sign between the two evaluation points (each
 *     adds an error ~ jump / 2 step to v'Gv; a measurement with kinks &gt; 0 is not the a.e.
 *     derivative); 0 for smooth activations
 */
public record SeenCurvature(double seen, double directional, double curvature, double step,
    int kinks) {}
