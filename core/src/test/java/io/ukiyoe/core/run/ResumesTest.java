package io.ukiyoe.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ConfigKinds;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.config.Schema.Default;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumesTest {
    record Run(@Default("1") double kimg, @Default("8") int batch) {}

    private static final ConfigKinds KINDS = new ConfigKinds().register("run", Run.class);
    private static final List<String> ALLOWED = List.of("kimg");

    @TempDir
    Path dir;

    @Test
    void onlyTheRunFolderAndSettingsThatContinueTheSameRun() {
        Path run = dir;
        assertEquals(2, assertThrows(UserError.class, () -> Resumes.checkArguments("train", dir.resolve("c.yaml"), null,
                run, List.of(), ALLOWED)).exitCode());
        assertEquals(2, assertThrows(UserError.class, () -> Resumes.checkArguments("train", null, dir.resolve("x"),
                run, List.of(), ALLOWED)).exitCode());
        UserError e = assertThrows(UserError.class, () -> Resumes.checkArguments("train", null, null, run,
                List.of("batch=4"), ALLOWED));
        assertTrue(e.getMessage().contains("cannot change 'batch'") && e.getMessage().contains("allowed: kimg"),
                e.getMessage());
        assertThrows(UserError.class, () -> Resumes.checkArguments("train", null, null, dir.resolve("missing"),
                List.of(), ALLOWED));
        Resumes.checkArguments("train", null, null, run, List.of("kimg=3"), ALLOWED);
    }

    @Test
    void theCheckpointsSettingsWinAndConfigYamlFollowsThem() throws Exception {
        RunFolder run = RunFolder.create(dir, "run", null, dir.resolve("r"), LocalDateTime.now());
        run.writeConfig("kind: run\nkimg: 1\nbatch: 16\n");           // edited by hand after the checkpoint
        String saved = "kind: run\nkimg: 1\nbatch: 4\n";
        StringWriter err = new StringWriter();
        ExperimentConfig<Run> c = Resumes.savedConfig(run, dir.resolve("ckpt"), saved, List.of(), KINDS, "run", Run.class,
                ALLOWED, new PrintWriter(err, true));
        assertEquals(new Run(1, 4), c.value());
        assertTrue(err.toString().startsWith("note: "), err.toString());
        assertEquals(c.resolvedYaml(), Files.readString(run.resolve(RunFolder.CONFIG)));

        ExperimentConfig<Run> longer = Resumes.savedConfig(run, dir.resolve("ckpt"), saved, List.of("kimg=3"), KINDS, "run",
                Run.class, ALLOWED, new PrintWriter(new StringWriter(), true));
        assertEquals(new Run(3, 4), longer.value());
        assertEquals(longer.resolvedYaml(), Files.readString(run.resolve(RunFolder.CONFIG)));
        run.close();
    }
}
