package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.fast.Polyphase;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The inference weight form ({@link Weights.Form#CONSTANT}): every layout a graph constant computed
 * once from the stored tensor, so that a forward pass spends no ops scaling or permuting weights
 * (each op costs SameDiff's per-op overhead too; permuting a 512 x 512 weight cost about as much as
 * the matmul using it).
 */
final class ConstantWeights implements Weights {
    /**
     * Output resolution from which upsampling convs run in polyphase form. Below it the transposed conv
     * + blur is as fast: on small maps the polyphase kernels' 16/9 multiply-adds and larger weights cost
     * what the faster conv saves.
     */
    static final int POLYPHASE_MIN_RES = 256;

    private final SameDiff sd;
    private final StyleGanModel model;
    private final DataType dtype;
    private final Map<String, SDVariable> vars = new LinkedHashMap<>();
    /** Where stored tensors are loaded to derive their layouts (see {@link #derived}), grown as needed. */
    private INDArray scratch;

    ConstantWeights(SameDiff sd, StyleGanModel model, DataType dtype) {
        this.sd = sd;
        this.model = model;
        this.dtype = dtype;
    }

    @Override
    public Form form() {
        return Form.CONSTANT;
    }

    /** A fresh copy of a stored tensor, the caller's to change in place and to close. */
    private INDArray array(String name) {
        INDArray a = Ops.array(model.tensor(name));
        if (a.dataType() == dtype) {
            return a;
        }
        INDArray cast = a.castTo(dtype);
        a.close();
        return cast;
    }

    /**
     * {@code layout} of a stored tensor times {@code scale}: the tensor is loaded into {@link #scratch}, so
     * that only the result is a new allocation. Closing a temporary per weight was not enough: glibc
     * (with the launcher's malloc settings and with its defaults) did not hand a closed 9.4 MB array's
     * memory to the next one of that size (20 created and closed arrays raised the resident set by
     * 190 MB, every round), and at 1024 px the temporaries kept 0.2 GB resident.
     */
    private INDArray derived(String name, double scale, java.util.function.UnaryOperator<INDArray> layout) {
        return fromLoaded(name, scale, w -> {
            INDArray out = layout.apply(w);
            // a layout that is w itself or a view of it (a reshape) is copied out of the scratch buffer
            return out.data() == w.data() ? out.dup('c') : out;
        });
    }

    /** {@code use} applied to a stored tensor times {@code scale}, which is valid only during the call. */
    private <T> T fromLoaded(String name, double scale, java.util.function.Function<INDArray, T> use) {
        INDArray w = loaded(name);
        if (scale != 1) {
            w.muli(scale);
        }
        return use.apply(w);
    }

    /**
     * A stored tensor in the scratch buffer ([length] floats, then viewed in the tensor's shape),
     * valid until the next call. Graphs of other types load a fresh copy.
     */
    private INDArray loaded(String name) {
        Tensor t = model.tensor(name);
        if (dtype != DataType.FLOAT || t.rank() == 0) {
            return array(name);
        }
        long n = t.numel();
        if (scratch == null || scratch.length() < n) {
            scratch = Nd4j.createUninitialized(DataType.FLOAT, n);
        }
        INDArray view = scratch.get(NDArrayIndex.interval(0, n));
        NdArrays.write(t.data(), view);
        return view.reshape('c', t.shape());
    }

    /** A constant made once per name (a graph may use a weight twice, e.g. D's epilogue on two batches). */
    private SDVariable constant(String name, INDArray value) {
        SDVariable v = vars.get(name);
        if (v == null) {
            v = sd.constant(name, value);
            vars.put(name, v);
        } else if (!v.getArr().equalsWithEps(value, 0)) {
            throw new IllegalStateException(name + " is used in two different forms");
        }
        return v;
    }

    @Override
    public SDVariable get(String name) {
        SDVariable v = vars.get(name);
        return v != null ? v : constant(name, array(name));
    }

    @Override
    public Map<String, SDVariable> all() {
        return Collections.unmodifiableMap(vars);
    }

    @Override
    public SDVariable scaled(String name, double scale) {
        return scale == 1 ? get(name) : constant(name + "/prepared", derived(name, scale, w -> w));
    }

    @Override
    public SDVariable dense(SDVariable x, String weight, double scale) {
        return x.mmul(constant(weight + "/prepared", derived(weight, scale, w -> w.transpose().dup('c'))));
    }

    @Override
    public SDVariable denseAdjoint(SDVariable g, String weight, double scale) {
        return g.mmul(get(weight)).mul(scale);
    }

    @Override
    public SDVariable hwc(String name) {
        return constant(name + "/hwc", derived(name, 1, w -> w.permute(1, 2, 0).dup('c')));
    }

    @Override
    public SDVariable hwio(String name, double scale) {
        return kernels(name, scale, ConvForm.SAME)[0];
    }

    @Override
    public SDVariable[] kernels(String name, double scale, ConvForm form) {
        return switch (form) {
            case SAME -> new SDVariable[] {constant(name + "/prepared", derived(name, scale, w -> w.permute(2, 3, 1, 0).dup('c')))};
            case TRANSPOSED_UP -> new SDVariable[] {constant(name + "/prepared", derived(name, scale, w -> w.permute(2, 3, 0, 1).dup('c')))};
            case POLYPHASE_UP -> {
                yield fromLoaded(name, scale, w -> Polyphase.upConvKernels(sd, name + "/prepared", w));
            }
            case FOLDED_UP, POLYPHASE_POOLED_UP -> throw new IllegalArgumentException("inference graphs run upsampling convs as "
                    + ConvForm.TRANSPOSED_UP + " or " + ConvForm.POLYPHASE_UP);
        };
    }

    /** The squares are stored halved, so that rsqrt(v / 2 + eps / 2) = sqrt(2) rsqrt(v + eps) needs no multiply. */
    @Override
    public Demodulation demodulation(SDVariable styles, String weight, double scale) {
        SDVariable squares = constant(weight + "/squares", derived(weight, scale, w -> w.muli(w).sum(2, 3).muli(0.5).transpose().dup('c')));
        return new Demodulation(sd.math().rsqrt(sd.math().square(styles).mmul(squares).add(0.5e-8)), squares);
    }

    /** One constant map: one add. */
    @Override
    public SDVariable constNoise(String layer, int res, double gain) {
        String name = Names.noiseConst(layer);
        double strength = model.tensor(Names.noiseStrength(layer)).data()[0] * gain;
        return constant(name + "/prepared", derived(name, strength, w -> w.reshape(1, res, res, 1)));
    }

    @Override
    public ConvForm upConv(int res) {
        return res >= POLYPHASE_MIN_RES ? ConvForm.POLYPHASE_UP : ConvForm.TRANSPOSED_UP;
    }

    @Override
    public PreparedWeights prepared() {
        throw new IllegalStateException("the graph was not built with prepared weights");
    }
}
