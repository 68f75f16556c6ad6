package io.ukiyoe.graphs.stylegan2.fast;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * x [N, H, W, C] times a per-sample, per-channel factor f [N, C] for graphs that only ever run batches
 * of a fixed N (training steps), in a form whose gradient is cheap: the factor is first spread over the
 * map by a batched matmul with ones ([N, HW, 1] x [N, 1, C]), so that both gradients are plain
 * same-shape products and a matmul. On M2.1 the gradient of the plain broadcast multiply by
 * [N, 1, 1, C] was a fifth of a training step's op time.
 */
public final class BatchedChannelScale {
    private final SameDiff sd;
    private final int batch;
    private final DataType dtype;
    private final Map<Long, SDVariable> ones = new HashMap<>();

    public BatchedChannelScale(SameDiff sd, int batch, DataType dtype) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        this.sd = sd;
        this.batch = batch;
        this.dtype = dtype;
    }

    public SDVariable apply(SDVariable x, SDVariable f, int res, long channels) {
        long hw = (long) res * res;
        SDVariable o = ones.computeIfAbsent(hw, k -> sd.constant(Nd4j.ones(dtype, batch, k, 1)));
        return x.mul(sd.mmul(o, f.reshape(batch, 1, channels)).reshape(batch, res, res, channels));
    }
}
