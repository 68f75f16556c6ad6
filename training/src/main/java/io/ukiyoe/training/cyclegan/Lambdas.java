package io.ukiyoe.training.cyclegan;

/**
 * Loss weights of CycleGANModel: cycle L1 weights {@code lambda_A} (A -> B -> A) and {@code lambda_B}
 * (B -> A -> B), and the identity weight as a fraction of them ({@code lambda_identity}; 0 leaves the
 * identity branch out of the graph).
 */
public record Lambdas(double a, double b, double identity) {
    /** The reference defaults: 10, 10, 0.5. */
    public static final Lambdas DEFAULT = new Lambdas(10, 10, 0.5);

    public Lambdas {
        if (!(a >= 0 && b >= 0 && identity >= 0)) {
            throw new IllegalArgumentException("lambdas must be >= 0, got " + a + ", " + b + ", " + identity);
        }
    }
}
