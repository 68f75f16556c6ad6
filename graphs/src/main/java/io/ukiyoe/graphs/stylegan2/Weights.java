package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.graphs.model.StyleGanModel;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * How a model's tensors enter a graph: the one place where the weight form is chosen. The model
 * definitions ({@link GeneratorGraph}, {@link DiscriminatorGraph}) ask for a parameter in the form
 * an op takes it (scaled by its equalised-lr gain, permuted, FIR folded in) and never ask which form
 * they got. Equalised learning rate is applied where a weight is used: stored weights are never rescaled.
 */
public interface Weights {
    enum Form {
        /** Trainable variables (buffers constants); layouts computed by ops on every pass. The reference form. */
        TRAINABLE,
        /** Float32 training: each layout a variable of its own, filled outside the graph ({@link PreparedWeights}). */
        PREPARED,
        /** Inference: every layout a constant computed once (cheaper, safe to export). */
        CONSTANT
    }

    /** The tensors of {@code model} in {@code sd} in the given form. */
    static Weights of(Form form, SameDiff sd, StyleGanModel model, DataType dtype) {
        return switch (form) {
            case TRAINABLE -> new PlainWeights(sd, model, dtype, false);
            case PREPARED -> new PlainWeights(sd, model, dtype, true);
            case CONSTANT -> new ConstantWeights(sd, model, dtype);
        };
    }

    Form form();

    default boolean trainable() {
        return form() != Form.CONSTANT;
    }

    /** The tensor as stored. */
    SDVariable get(String name);

    /** The graph variables made so far, by name. */
    Map<String, SDVariable> all();

    /** The tensor times {@code scale}, same shape. */
    SDVariable scaled(String name, double scale);

    /** x (W scale)^T for a dense weight W [out, in]. */
    SDVariable dense(SDVariable x, String weight, double scale);

    /** The adjoint of {@link #dense}: g (W scale) for g [N, out] -> [N, in]. */
    SDVariable denseAdjoint(SDVariable g, String weight, double scale);

    /** A [C, H, W] constant input as [H, W, C]. */
    SDVariable hwc(String name);

    /** A conv weight [O, I, k, k] times {@code scale} in SameDiff's [k, k, I, O] layout. */
    SDVariable hwio(String name, double scale);

    /** The kernels of a [O, I, k, k] conv weight times {@code scale} for {@code form} (see {@link ConvForm}). */
    SDVariable[] kernels(String name, double scale, ConvForm form);

    /**
     * The demodulation of a modulated conv for styles s [N, I]: d = sqrt(2) / sqrt(sum_i s_i^2 W[o, i]^2 + 1e-8)
     * [N, O], the activation's sqrt(2) gain included (lrelu(a v) = a lrelu(v) for a > 0, which spares a
     * pass over the map), with the [I, O] squares it was computed from (null where they are folded away).
     */
    Demodulation demodulation(SDVariable styles, String weight, double scale);

    record Demodulation(SDVariable d, SDVariable squares) {}

    /** A layer's stored noise map times its strength and {@code gain}, as [1, r, r, 1]. */
    SDVariable constNoise(String layer, int res, double gain);

    /**
     * Whether the graph's separate FIRs run as average pools ({@link Ops#pooledBlurNhwc}): training
     * graphs, where libnd4j's gradient of the depthwise conv costs 30x its forward pass.
     */
    default boolean pooledBlur() {
        return false;
    }

    /** The fastest upsampling conv form for this weight form at output resolution {@code res}. */
    ConvForm upConv(int res);

    /** The prepared views of a {@link Form#PREPARED} graph's parameters (after building). */
    PreparedWeights prepared();
}
