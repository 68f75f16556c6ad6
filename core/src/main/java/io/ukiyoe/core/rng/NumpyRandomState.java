package io.ukiyoe.core.rng;

/**
 * numpy's legacy {@code numpy.random.RandomState}: MT19937 seeded with an integer, uniform doubles
 * from 53 bits, and the polar Box-Muller Gaussian that caches its second value. So
 * {@code new NumpyRandomState(seed).randn(n)} equals {@code np.random.RandomState(seed).randn(n)} —
 * what stylegan2-ada's generate.py uses to turn a seed into z.
 */
public final class NumpyRandomState {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int pos;
    private boolean hasGauss;
    private double gauss;

    /** @param seed 0 .. 2^32-1, as numpy requires */
    public NumpyRandomState(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be between 0 and 2**32 - 1, got " + seed);
        }
        long s = seed;
        for (int i = 0; i < N; i++) {
            mt[i] = (int) s;
            s = (1812433253L * (s ^ (s >>> 30)) + i + 1) & 0xffffffffL;
        }
        pos = N;
    }

    /** The next raw 32-bit output, as an unsigned value. */
    public long nextUint32() {
        if (pos >= N) {
            generate();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void generate() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        pos = 0;
    }

    /** A value in [0, max], max below 2^32 (numpy's random_interval: masked 32-bit draws, rejecting those above max). */
    public long interval(long max) {
        if (max < 0 || max > 0xffffffffL) {
            throw new IllegalArgumentException("interval bound must be between 0 and 2**32 - 1, got " + max);
        }
        long mask = max;
        for (int shift = 1; shift <= 16; shift <<= 1) {
            mask |= mask >>> shift;
        }
        long value;
        do {
            value = nextUint32() & mask;
        } while (value > max);
        return value;
    }

    /** {@code permutation(n)}: 0..n-1 shuffled as numpy's legacy shuffle does (swap i with interval(i), i = n-1 .. 1). */
    public int[] permutation(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i >= 1; i--) {
            int j = (int) interval(i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** {@code choice(n, m, replace=False)}: the first m of {@link #permutation}. */
    public int[] choiceWithoutReplacement(int n, int m) {
        return java.util.Arrays.copyOf(permutation(n), m);
    }

    /** A double in [0, 1) from 53 random bits (numpy's random_sample). */
    public double nextDouble() {
        long a = nextUint32() >>> 5;
        long b = nextUint32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** A standard normal value (numpy's legacy gauss). */
    public double nextGaussian() {
        if (hasGauss) {
            hasGauss = false;
            return gauss;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * nextDouble() - 1.0;
            x2 = 2.0 * nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** {@code randn(n)} as float64 values. */
    public double[] randn(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = nextGaussian();
        }
        return out;
    }

    /** {@code uniform(low, high)}. */
    public double uniform(double low, double high) {
        return low + (high - low) * nextDouble();
    }
}
