package io.ukiyoe.graphs.model;

import io.ukiyoe.core.io.Tensor;
import java.util.Map;
import java.util.TreeMap;

/** Infers a {@link StyleGanConfig} from canonical tensor names and shapes (for files without a config). */
public final class Architecture {

    private Architecture() {}

    public static StyleGanConfig infer(Map<String, Tensor> t, Double convClamp, int mbstdGroup, int mbstdChannels,
                                       double mappingLrMul) {
        int nMlp = 0;
        Map<Integer, Integer> channels = new TreeMap<>();
        for (String name : t.keySet()) {
            Names.Parsed p = Names.parse(name).orElse(null);
            if (p != null && p.part() == Names.Part.MAPPING && p.tensor().equals("weight")) {
                nMlp = Math.max(nMlp, Integer.parseInt(p.layer().substring(2)) + 1);
            }
            Names.parse(name).filter(q -> q.part() == Names.Part.SYNTHESIS && q.layer().equals("conv1")
                    && q.tensor().equals("weight")).ifPresent(q -> channels.put(q.resolution(), (int) t.get(name).shape()[0]));
        }
        Tensor fc0 = t.get(Names.fc(0, "weight"));
        if (fc0 == null || nMlp == 0 || channels.isEmpty()) {
            throw new IllegalArgumentException("cannot infer the architecture: no mapping or synthesis tensors");
        }
        int resolution = ((TreeMap<Integer, Integer>) channels).lastKey();
        return new StyleGanConfig(resolution, (int) fc0.shape()[1], (int) fc0.shape()[0], nMlp, channels,
                mappingLrMul, convClamp, mbstdGroup, mbstdChannels);
    }
}
