package io.ukiyoe.core.run;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ConfigKinds;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.config.Node;
import io.ukiyoe.core.config.YamlTree;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code --resume RUN_DIR} policy of training runs (ukiyoe train, ukiyoe cyclegan train), before
 * their trainer continues: the run folder is the only input, only settings that leave the steps
 * already taken unchanged may be overridden, and the settings saved in the checkpoint win over an
 * edited config.yaml.
 */
public final class Resumes {
    private Resumes() {}

    /** Refuses a config file, a --run-dir, or overrides of settings that would not continue the same run. */
    public static void checkArguments(String command, Path file, Path runDir, Path resume, List<String> overrides,
                               List<String> allowed) {
        if (file != null || runDir != null) {
            throw new UserError(command + " --resume takes the run folder only (its config.yaml is the config)", 2, null);
        }
        for (String o : overrides) {
            String key = o.contains("=") ? o.substring(0, o.indexOf('=')).trim() : o;
            if (!allowed.contains(key)) {
                throw new UserError("--set " + o + ": cannot change '" + key + "' when resuming (it would not continue "
                        + "the same run); allowed: " + String.join(", ", allowed), 2, null);
            }
        }
        if (!Files.isDirectory(resume)) {
            throw new UserError(resume + ": no such run folder", 2, null);
        }
    }

    /**
     * The run's settings as its checkpoint saved them (config.yaml is only their readable copy), with the
     * allowed overrides applied; config.yaml is rewritten when they differ.
     */
    public static <T> ExperimentConfig<T> savedConfig(RunFolder run, Path checkpoint, String savedYaml,
                                                      List<String> overrides, ConfigKinds kinds, String kind, Class<T> type,
                                                      List<String> allowed, PrintWriter err) {
        Node saved = YamlTree.parse(savedYaml, checkpoint + " (saved config)");
        if (!(saved instanceof Node.Mapping root)) {
            throw new UserError(checkpoint + ": the saved config is not a mapping");
        }
        ExperimentConfig<T> cfg = ExperimentConfig.fromTree(root, checkpoint, overrides, kinds, kind, type);
        Path configFile = run.resolve(RunFolder.CONFIG);
        String current;
        try {
            current = Files.readString(configFile);
        } catch (java.io.IOException e) {
            current = "";
        }
        if (!current.equals(cfg.resolvedYaml())) {
            if (overrides.isEmpty()) {
                err.printf("note: %s differs from the settings saved in %s; those are used (change %s with --set)%n",
                        configFile, checkpoint.getFileName(), String.join(", ", allowed));
            }
            run.writeConfig(cfg.resolvedYaml());
            run.log("resume with " + String.join(" ", overrides));
        }
        return cfg;
    }
}
