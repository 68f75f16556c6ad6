package io.ukiyoe.graphs.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs an ONNX file in ONNX Runtime for Java: one float32 input, the named outputs back as ND4J arrays. */
public final class OnnxRuntime {
    private OnnxRuntime() {}

    public static Map<String, INDArray> run(Path model, String input, INDArray x, String... outputs) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] data = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model.toString(), options);
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(data, 0, (int) x.length()), x.shape());
             OrtSession.Result result = session.run(Map.of(input, in))) {
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (String name : outputs) {
                OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow();
                FloatBuffer b = t.getFloatBuffer();
                float[] f = new float[b.remaining()];
                b.get(f);
                out.put(name, Nd4j.create(f, t.getInfo().getShape(), 'c'));
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException(model + ": " + e.getMessage(), e);
        }
    }
}
