package io.ukiyoe.data.upscale;

import io.ukiyoe.core.image.Upscaler;
import io.ukiyoe.core.io.NdArrays;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runs an {@link Upscaler} on overlapping tiles so that the network's memory stays bounded on large scans,
 * and blends the tiles without seams. In the band two neighbouring tiles share, the outer quarter next to a
 * tile's cut edge (where the tile's own zero padding makes it wrong) gets (almost) no weight from that tile,
 * the middle half is a linear cross-fade, and the two weights always sum to one. Image borders are not cut
 * edges (the untiled network sees the same zero padding there), so tiles keep full weight at them. Away from
 * the cut edges the result is the untiled one.
 */
public final class TiledUpscaler implements Upscaler {
    private final Upscaler net;
    private final int tile;
    private final int overlap;

    /**
     * @param tile    tile side in input pixels; 0 runs the whole image at once
     * @param overlap input pixels neighbouring tiles share (at least), blended over; smaller than {@code tile}
     */
    public TiledUpscaler(Upscaler net, int tile, int overlap) {
        if (tile < 0 || overlap < 0 || (tile > 0 && overlap >= tile)) {
            throw new IllegalArgumentException("tile " + tile + " and overlap " + overlap
                    + ": need tile >= 0 and 0 <= overlap < tile");
        }
        this.net = net;
        this.tile = tile;
        this.overlap = overlap;
    }

    @Override
    public int scale() {
        return net.scale();
    }

    /** One run of tiles along an axis: start and end (exclusive) in input pixels. */
    record Span(int start, int end) {}

    /**
     * Tiles of side {@code tile} covering {@code [0, length)}, spread evenly so that neighbours share at least
     * {@code overlap} pixels; one span when the axis fits in a tile.
     */
    static List<Span> spans(int length, int tile, int overlap) {
        List<Span> out = new ArrayList<>();
        if (tile == 0 || length <= tile) {
            out.add(new Span(0, length));
            return out;
        }
        int n = (int) Math.ceil((length - tile) / (double) (tile - overlap)) + 1;
        for (int i = 0; i < n; i++) {
            int start = (int) Math.round(i * (length - tile) / (double) (n - 1));
            out.add(new Span(start, start + tile));
        }
        return out;
    }

    /** The weight a tile never drops below, so that every output pixel has a positive total weight. */
    private static final double FLOOR = 1e-6;

    /**
     * Blend weights of span {@code i} at each of its output positions: over each band it shares with a neighbour,
     * {@link #fade} (complementary to the neighbour's), one elsewhere.
     */
    static float[] ramp(List<Span> spans, int i, int scale) {
        Span s = spans.get(i);
        int n = (s.end() - s.start()) * scale;
        float[] w = new float[n];
        int before = i > 0 ? (spans.get(i - 1).end() - s.start()) * scale : 0;      // band shared with the previous tile
        int after = i + 1 < spans.size() ? (s.end() - spans.get(i + 1).start()) * scale : 0;
        for (int u = 0; u < n; u++) {
            double a = before > 0 ? fade(u + 0.5, before) : 1;
            double b = after > 0 ? fade(n - u - 0.5, after) : 1;
            w[u] = (float) Math.max(FLOOR, a * b);
        }
        return w;
    }

    /**
     * Weight at distance {@code d} from the cut edge into a shared band of {@code band} pixels: zero over the outer
     * quarter, a linear rise over the middle half, one beyond; {@code fade(d) + fade(band - d) = 1} across the band.
     */
    static double fade(double d, int band) {
        return Math.max(0, Math.min(1, (d - band / 4.0) / (band / 2.0)));
    }

    @Override
    public INDArray upscale(INDArray nchw) {
        long[] shape = nchw.shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException("expected [N, C, H, W], got " + java.util.Arrays.toString(shape));
        }
        int h = (int) shape[2];
        int w = (int) shape[3];
        List<Span> rows = spans(h, tile, overlap);
        List<Span> cols = spans(w, tile, overlap);
        if (rows.size() == 1 && cols.size() == 1) {
            return net.upscale(nchw);
        }
        int s = net.scale();
        int oh = h * s;
        int ow = w * s;
        float[] acc = null;
        float[] weight = new float[oh * ow];
        int batch = (int) shape[0];
        int channels = 0;
        for (int r = 0; r < rows.size(); r++) {
            float[] wy = ramp(rows, r, s);
            Span sy = rows.get(r);
            for (int c = 0; c < cols.size(); c++) {
                float[] wx = ramp(cols, c, s);
                Span sx = cols.get(c);
                INDArray in = nchw.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(sy.start(), sy.end()),
                        NDArrayIndex.interval(sx.start(), sx.end())).dup('c');
                INDArray out = net.upscale(in);
                long[] os = out.shape();
                int th = wy.length;
                int tw = wx.length;
                if (os.length != 4 || os[0] != batch || os[2] != th || os[3] != tw) {
                    throw new IllegalStateException("upscaler returned " + java.util.Arrays.toString(os) + " for a "
                            + java.util.Arrays.toString(in.shape()) + " tile at x" + s);
                }
                if (acc == null) {
                    channels = (int) os[1];
                    acc = new float[batch * channels * oh * ow];
                }
                float[] t = NdArrays.floats(out);
                for (int y = 0; y < th; y++) {
                    int oy = sy.start() * s + y;
                    for (int x = 0; x < tw; x++) {
                        float wt = wy[y] * wx[x];
                        int o = oy * ow + sx.start() * s + x;
                        weight[o] += wt;
                        for (int p = 0; p < batch * channels; p++) {
                            acc[p * oh * ow + o] += wt * t[(p * th + y) * tw + x];
                        }
                    }
                }
            }
        }
        for (int p = 0; p < batch * channels; p++) {
            for (int o = 0; o < oh * ow; o++) {
                acc[p * oh * ow + o] /= weight[o];
            }
        }
        long[] outShape = {batch, channels, oh, ow};
        return Nd4j.create(acc, outShape, DataType.FLOAT).reshape('c', outShape);
    }
}
