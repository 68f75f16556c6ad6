package io.ukiyoe.graphs.model;

import io.ukiyoe.core.io.Tensor;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Infers a {@link StyleGanConfig} from canonical tensor names and shapes (for files without a config). */
public final class Architecture {
    private static final Pattern FC = Pattern.compile("mapping/fc(\\d+)/weight");
    private static final Pattern CONV1 = Pattern.compile("synthesis/b(\\d+)/conv1/weight");

    private Architecture() {}

    public static StyleGanConfig infer(Map<String, Tensor> t, Double convClamp, int mbstdGroup, int mbstdChannels,
                                       double mappingLrMul) {
        int nMlp = 0;
        Map<Integer, Integer> channels = new TreeMap<>();
        for (String name : t.keySet()) {
            Matcher fc = FC.matcher(name);
            if (fc.matches()) {
                nMlp = Math.max(nMlp, Integer.parseInt(fc.group(1)) + 1);
            }
            Matcher c = CONV1.matcher(name);
            if (c.matches()) {
                channels.put(Integer.parseInt(c.group(1)), (int) t.get(name).shape()[0]);
            }
        }
        Tensor fc0 = t.get("mapping/fc0/weight");
        if (fc0 == null || nMlp == 0 || channels.isEmpty()) {
            throw new IllegalArgumentException("cannot infer the architecture: no mapping or synthesis tensors");
        }
        int resolution = ((TreeMap<Integer, Integer>) channels).lastKey();
        return new StyleGanConfig(resolution, (int) fc0.shape()[1], (int) fc0.shape()[0], nMlp, channels,
                mappingLrMul, convClamp, mbstdGroup, mbstdChannels);
    }
}
