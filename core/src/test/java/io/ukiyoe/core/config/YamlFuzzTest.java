package io.ukiyoe.core.config;

import static org.junit.jupiter.api.Assertions.fail;

import io.ukiyoe.core.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutated config files give the project's one-line errors, never anything else. */
class YamlFuzzTest {
    @TempDir
    Path dir;

    @Test
    void mutatedConfigsGiveOnlyOneLineErrors() throws Exception {
        byte[] orig = ("kind: exp\nbase: models/a.safetensors\nname: run-1\ntraining:\n  batch: 16\n  learning_rate: 0.002\n"
                + "  style_mixing: 0.5\n  xflip: false\nschedule: {type: sigmoid, resolution: 32, width: 0.5}\n"
                + "mapping: target\nseeds: [1, 2, 3]\n").getBytes(StandardCharsets.UTF_8);
        ConfigKinds kinds = new ConfigKinds().register("exp", ConfigBindingTest.Exp.class);
        Random r = new Random(31);
        Path f = dir.resolve("x.yaml");
        String symbols = "{}[]:,-'\"&*!|>#%@`\n\t ";
        for (int i = 0; i < 1500; i++) {
            byte[] b = orig.clone();
            for (int k = r.nextInt(4) + 1; k > 0; k--) {
                int at = r.nextInt(b.length);
                b[at] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : (byte) symbols.charAt(r.nextInt(symbols.length()));
            }
            if (r.nextInt(5) == 0) {
                b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            }
            Files.write(f, b);
            try {
                ExperimentConfig.load(f, java.util.List.of(), kinds);
            } catch (UserError e) {           // ConfigException is one
                if (e.getMessage() == null || e.getMessage().strip().lines().count() != 1) {
                    fail("round " + i + ": not a one-line error: " + e.getMessage());
                }
            } catch (RuntimeException e) {
                throw new AssertionError("round " + i + " escaped as " + e + " for:\n" + new String(b, StandardCharsets.UTF_8), e);
            }
        }
    }
}
