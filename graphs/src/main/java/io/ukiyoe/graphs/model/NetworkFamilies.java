package io.ukiyoe.graphs.model;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.vision.FidInceptionFamily;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every {@link NetworkFamily} this build knows, looked up by state-dict keys or by file format tag. */
public final class NetworkFamilies {
    /** Add a family here (one line); order matters only where two families could claim the same keys. */
    private static final List<NetworkFamily> ALL = List.of(
            io.ukiyoe.graphs.esrgan.EsrganFamily.INSTANCE,
            new io.ukiyoe.graphs.pix2pixhd.GeneratorFamily(),
            new io.ukiyoe.graphs.pix2pixhd.DiscriminatorFamily(),
            new io.ukiyoe.graphs.cyclegan.PatchDiscriminatorFamily(),
            new FidInceptionFamily(),
            new io.ukiyoe.graphs.mtcnn.MtcnnFamily());

    private NetworkFamilies() {}

    public static Optional<NetworkFamily> forFormat(String format) {
        return ALL.stream().filter(f -> f.format().equals(format)).findFirst();
    }

    /** The family whose keys a state dict has; a one-line error listing what is known otherwise. */
    public static NetworkFamily forStateDict(Path file, Map<String, Tensor> stateDict) {
        return ALL.stream().filter(f -> f.recognises(stateDict)).findFirst().orElseThrow(() -> new UserError(file
                + ": a state dict of no network ukiyoe knows (first keys: "
                + String.join(", ", stateDict.keySet().stream().limit(3).toList()) + "; known: StyleGAN2"
                + (ALL.isEmpty() ? "" : ", " + String.join(", ", ALL.stream().map(NetworkFamily::displayName).toList()))
                + ")"));
    }
}
