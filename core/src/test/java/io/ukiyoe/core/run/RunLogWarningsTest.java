package io.ukiyoe.core.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class RunLogWarningsTest {
    @TempDir
    Path dir;

    @Test
    void warningsAndErrorsOfTheLoggingBackEndAlsoGoToLogTxt() throws Exception {
        PrintStream before = System.err;
        Path out = dir.resolve("run");
        String log;
        try (RunFolder run = RunFolder.create(dir, "test", null, out, LocalDateTime.now())) {
            LoggerFactory.getLogger("io.ukiyoe.data.ImageDataset").warn("faces/broken.jpg: not a readable image, skipped");
            LoggerFactory.getLogger("org.nd4j.Something").error("native allocation failed");
            LoggerFactory.getLogger("org.nd4j.Something").debug("not shown");
            System.err.println("a progress line, not a warning");
            run.log("checkpoint 1");
        }
        assertSame(before, System.err, "stderr is restored when the run closes");
        LoggerFactory.getLogger("io.ukiyoe.After").warn("after the run");
        log = Files.readString(out.resolve(RunFolder.LOG));
        assertTrue(log.contains("faces/broken.jpg: not a readable image, skipped"), log);
        assertTrue(log.contains("native allocation failed"), log);
        assertTrue(log.contains("checkpoint 1"), log);
        assertFalse(log.contains("a progress line"), log);
        assertFalse(log.contains("after the run"), log);
    }
}
