package io.ukiyoe.training;

/**
 * The geometric half of an augmentation: a linear map of a flattened batch [B, C, H, W] onto an array of the
 * same shape, with its exact transpose (the gradient of a loss through it). {@link WaveletWarp} is ADA's
 * filtered resampling, {@link BilinearWarp} the plain bilinear one that pair augmentation uses.
 */
interface Warp {
    /** The warped batch. */
    float[] apply(float[] in, int channels);

    /** The transpose applied to an upstream gradient {@code g}. */
    float[] adjoint(float[] g, int channels);
}
