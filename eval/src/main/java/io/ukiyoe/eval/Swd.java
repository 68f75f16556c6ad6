package io.ukiyoe.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sliced Wasserstein distance between two image sets, as in Karras et al. 2018 (progressive GAN):
 * a Laplacian pyramid down to 16 px (5x5 binomial filter, mirrored borders), 128 random 7x7
 * neighbourhoods per image and level, each descriptor set normalised per colour channel, then
 * 4 x 128 random projections; reported x1e3 per level and averaged.
 */
public final class Swd {
    public static final int PATCHES_PER_IMAGE = 128;
    public static final int PATCH = 7;
    public static final int DIRECTIONS = 128;
    public static final int REPEATS = 4;
    public static final int MIN_RESOLUTION = 16;

    private Swd() {}

    /** Per pyramid level (finest first, down to 16 px), x1e3, and their average. */
    public record Result(List<Integer> resolutions, double[] perLevel, double average) {}

    /**
     * Collects descriptors of one image set, level by level, without keeping the images. Image {@code i}
     * (in the order added) draws its patch positions from its own random stream, seeded by the set's seed
     * and {@code i}, so an image's descriptors depend on nothing else: any partition of the set into
     * windows ({@link SwdSets}) gives the same descriptors, and two sets with the same seed use the same
     * positions image by image.
     */
    public static final class Descriptors {
        final int resolution;
        final long seed;
        final List<List<float[]>> byLevel = new ArrayList<>();

        public Descriptors(int resolution, long seed) {
            if (resolution < MIN_RESOLUTION || Integer.bitCount(resolution) != 1) {
                throw new IllegalArgumentException("SWD needs power-of-two images of at least 16 px, got " + resolution);
            }
            this.resolution = resolution;
            this.seed = seed;
            for (int r = resolution; r >= MIN_RESOLUTION; r /= 2) {
                byLevel.add(new ArrayList<>());
            }
        }

        /** Adds the next image: planar RGB [3, R, R] with values in 0..255. */
        public void add(float[] chw) {
            addDescribed(describe(chw, resolution, seed, images()));
        }

        /** Adds an image's descriptors from {@link #describe} (in image order). */
        void addDescribed(float[][][] perLevel) {
            if (perLevel.length != byLevel.size()) {
                throw new IllegalArgumentException("descriptors of " + perLevel.length + " levels, the set has " + byLevel.size());
            }
            for (int l = 0; l < perLevel.length; l++) {
                byLevel.get(l).addAll(Arrays.asList(perLevel[l]));
            }
        }

        /** How many images were added. */
        public int images() {
            return byLevel.get(0).size() / PATCHES_PER_IMAGE;
        }
    }

    /** The random stream of image {@code index}'s patch positions in a set of seed {@code seed}. */
    static Random patchRandom(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + (index + 1) * 0xBF58476D1CE4E5B9L;   // splitmix64's finaliser
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new Random(z ^ (z >>> 31));
    }

    /**
     * One image's descriptors {@code [level][patch][3 x 7 x 7]} (finest level first): planar RGB
     * {@code [3, R, R]} in 0..255, image {@code index} of a set of seed {@code seed}.
     */
    static float[][][] describe(float[] chw, int resolution, long seed, long index) {
        int r = resolution;
        if (chw.length != 3 * r * r) {
            throw new IllegalArgumentException("expected a [3, " + r + ", " + r + "] image");
        }
        Random rnd = patchRandom(seed, index);
        int levels = Integer.numberOfTrailingZeros(r) - Integer.numberOfTrailingZeros(MIN_RESOLUTION) + 1;
        float[][][] out = new float[levels][PATCHES_PER_IMAGE][];
        float[][] level = {Arrays.copyOfRange(chw, 0, r * r), Arrays.copyOfRange(chw, r * r, 2 * r * r),
                Arrays.copyOfRange(chw, 2 * r * r, 3 * r * r)};
        int size = r;
        for (int l = 0; l < levels; l++) {
            float[][] band;
            float[][] next = null;
            if (size > MIN_RESOLUTION) {
                next = new float[3][];
                band = new float[3][];
                for (int c = 0; c < 3; c++) {
                    next[c] = pyrDown(level[c], size);
                    float[] up = pyrUp(next[c], size / 2);
                    band[c] = new float[size * size];
                    for (int i = 0; i < band[c].length; i++) {
                        band[c][i] = level[c][i] - up[i];
                    }
                }
            } else {
                band = level; // the last level is the low-pass image itself
            }
            for (int p = 0; p < PATCHES_PER_IMAGE; p++) {
                int cy = 3 + rnd.nextInt(size - 6);
                int cx = 3 + rnd.nextInt(size - 6);
                float[] d = new float[3 * PATCH * PATCH];
                int k = 0;
                for (int c = 0; c < 3; c++) {
                    for (int y = -3; y <= 3; y++) {
                        for (int x = -3; x <= 3; x++) {
                            d[k++] = band[c][(cy + y) * size + cx + x];
                        }
                    }
                }
                out[l][p] = d;
            }
            if (next != null) {
                level = next;
                size /= 2;
            }
        }
        return out;
    }

    static final float[] BINOMIAL = {1 / 16f, 4 / 16f, 6 / 16f, 4 / 16f, 1 / 16f};

    /** Mirror index (edge not repeated), as cv2.BORDER_REFLECT_101. */
    static int mirror(int i, int n) {
        if (i < 0) {
            return -i;
        }
        if (i >= n) {
            return 2 * n - 2 - i;
        }
        return i;
    }

    static float[] blur(float[] img, int n) {
        float[] tmp = new float[n * n];
        float[] out = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                float a = 0;
                for (int k = -2; k <= 2; k++) {
                    a += BINOMIAL[k + 2] * img[y * n + mirror(x + k, n)];
                }
                tmp[y * n + x] = a;
            }
        }
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                float a = 0;
                for (int k = -2; k <= 2; k++) {
                    a += BINOMIAL[k + 2] * tmp[mirror(y + k, n) * n + x];
                }
                out[y * n + x] = a;
            }
        }
        return out;
    }

    /** Blur, then every other pixel: n -> n/2. */
    static float[] pyrDown(float[] img, int n) {
        float[] b = blur(img, n);
        int h = n / 2;
        float[] out = new float[h * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < h; x++) {
                out[y * h + x] = b[2 * y * n + 2 * x];
            }
        }
        return out;
    }

    /** Zero insertion, then blur x4: n -> 2n. */
    static float[] pyrUp(float[] img, int n) {
        int m = 2 * n;
        float[] z = new float[m * m];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                z[2 * y * m + 2 * x] = 4 * img[y * n + x];
            }
        }
        return blur(z, m);
    }

    /** Per-channel standardisation of a descriptor set (each of the 3 channels over all its 49 values). */
    static float[][] normalise(List<float[]> set) {
        int per = PATCH * PATCH;
        double[] mean = new double[3];
        double[] sq = new double[3];
        for (float[] d : set) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < per; i++) {
                    double v = d[c * per + i];
                    mean[c] += v;
                    sq[c] += v * v;
                }
            }
        }
        double count = (double) set.size() * per;
        double[] std = new double[3];
        for (int c = 0; c < 3; c++) {
            mean[c] /= count;
            std[c] = Math.sqrt(Math.max(sq[c] / count - mean[c] * mean[c], 0));
        }
        float[][] out = new float[set.size()][];
        for (int n = 0; n < set.size(); n++) {
            float[] d = set.get(n);
            float[] o = new float[d.length];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < per; i++) {
                    o[c * per + i] = (float) ((d[c * per + i] - mean[c]) / Math.max(std[c], 1e-8));
                }
            }
            out[n] = o;
        }
        return out;
    }

    /**
     * Mean |sorted projection of A - sorted projection of B| over 4 x 128 random unit directions
     * (the projections are one matrix product per repeat, sorted column-wise).
     */
    static double sliced(float[][] a, float[][] b, Random rnd) {
        int dim = a[0].length;
        int n = Math.min(a.length, b.length);
        INDArray ma = matrix(a, n);
        INDArray mb = matrix(b, n);
        double total = 0;
        for (int rep = 0; rep < REPEATS; rep++) {
            float[] dirs = new float[dim * DIRECTIONS];
            for (int k = 0; k < DIRECTIONS; k++) {
                double norm = 0;
                double[] d = new double[dim];
                for (int i = 0; i < dim; i++) {
                    d[i] = rnd.nextGaussian();
                    norm += d[i] * d[i];
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < dim; i++) {
                    dirs[k * dim + i] = (float) (d[i] / norm);
                }
            }
            // [DIRECTIONS, dim] x [dim, n]: each row holds one direction's projections, ready to sort
            INDArray dir = Nd4j.create(dirs, new long[] {DIRECTIONS, dim}, DataType.FLOAT);
            float[] pa = io.ukiyoe.core.io.NdArrays.floats(dir.mmul(ma.transpose()));
            float[] pb = io.ukiyoe.core.io.NdArrays.floats(dir.mmul(mb.transpose()));
            double sum = 0;
            for (int k = 0; k < DIRECTIONS; k++) {
                Arrays.sort(pa, k * n, (k + 1) * n);
                Arrays.sort(pb, k * n, (k + 1) * n);
                for (int i = k * n; i < (k + 1) * n; i++) {
                    sum += Math.abs(pa[i] - pb[i]);
                }
            }
            total += sum / ((double) n * DIRECTIONS);
        }
        return total / REPEATS;
    }

    private static INDArray matrix(float[][] rows, int n) {
        int dim = rows[0].length;
        float[] flat = new float[n * dim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, flat, i * dim, dim);
        }
        return Nd4j.create(flat, new long[] {n, dim}, DataType.FLOAT);
    }

    /** SWD x1e3 per level and the average; both sets must be at the same resolution. */
    public static Result compute(Descriptors a, Descriptors b, long seed) {
        if (a.resolution != b.resolution) {
            throw new IllegalArgumentException("image sets differ in resolution: " + a.resolution + " vs " + b.resolution);
        }
        Random rnd = new Random(seed);
        double[] per = new double[a.byLevel.size()];
        List<Integer> res = new ArrayList<>();
        double avg = 0;
        for (int l = 0; l < per.length; l++) {
            per[l] = sliced(normalise(a.byLevel.get(l)), normalise(b.byLevel.get(l)), rnd) * 1e3;
            res.add(a.resolution >> l);
            avg += per[l] / per.length;
        }
        return new Result(res, per, avg);
    }
}
