package io.ukiyoe.core.image;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A super-resolution network seen from the data pipeline: float RGB planes in [0, 1] in, {@link #scale()}
 * times larger planes out. Lives in core so that the data module (tiling, alignment, folders of images)
 * and the graphs module (the networks) need not depend on each other.
 */
public interface Upscaler {
    /** The integer factor between input and output sides. */
    int scale();

    /**
     * {@code [N, 3, H, W]} float32 RGB in [0, 1] to {@code [N, 3, scale H, scale W]}: the raw network output,
     * not clamped.
     */
    INDArray upscale(INDArray nchw);
}
