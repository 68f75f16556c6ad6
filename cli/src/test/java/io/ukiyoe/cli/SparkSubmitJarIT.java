package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.data.Images;
import io.ukiyoe.graphs.Fixtures;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cli/target/ukiyoe-spark.jar} (the -Pspark build's shaded jar) under Spark's own launcher class,
 * {@code org.apache.spark.deploy.SparkSubmit}, in a child JVM whose class path is Spark and what Spark
 * brings (the test class path's jars that are not in the shaded jar), as {@code spark-submit --master
 * local[2] --class io.ukiyoe.cli.Main ukiyoe-spark.jar ...} runs it: {@code eval fid} and {@code eval swd}
 * print what the plain in-process runs print. Runs after {@code package} (the -Pspark profile's
 * integration-test execution).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SparkSubmitJarIT {
    @TempDir
    Path dir;

    @Test
    void sparkSubmitOfTheShadedJarGivesThePlainResults() throws Exception {
        Path jar = Path.of("target", "ukiyoe-spark.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " (mvn -Pspark package builds it)");
        Path images = Files.createDirectories(dir.resolve("images"));
        Random r = new Random(8);
        for (int n = 0; n < 6; n++) {
            BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    img.setRGB(x, y, (x * 7 << 16) | (y * 7 << 8) | r.nextInt(256));
                }
            }
            Images.writePng(images.resolve(String.format("%03d.png", n)), img);
        }
        String model = Fixtures.file("rosinality_tiny.pt").toString();
        String inception = Fixtures.file("fid/pt_inception-random-seeded.pth").toString();
        List<String> fid = List.of("eval", "fid", "--a", images.toString(), "--b", model, "--inception", inception,
                "--n", "4", "--batch", "2", "--cache", dir.resolve("cache").toString());
        List<String> swd = List.of("eval", "swd", "--a", images.toString(), "--b", model, "--n", "12");

        List<String> sparkJars = sparkClassPath(jar);
        assertTrue(sparkJars.stream().anyMatch(j -> j.contains("spark-core_2.12")), sparkJars.toString());
        assertTrue(sparkJars.stream().noneMatch(j -> j.contains("nd4j-api")), "ND4J is in the shaded jar");
        for (List<String> args : List.of(fid, swd)) {
            CliRun plain = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, plain.exit(), plain.err());
            List<String> submitted = new ArrayList<>(args);
            submitted.addAll(List.of("--spark", "local[2]"));
            String out = submit(jar, sparkJars, submitted, dir.resolve(args.get(1) + ".log"));
            String expected = lastLine(plain.out());
            assertTrue(expected.startsWith(args.get(1).equals("fid") ? "FID: " : "SWD x1e3 avg: "), plain.out());
            assertEquals(expected, lastLine(out), out);
        }
    }

    /**
     * Libraries that Spark 3.5's spark-core needs and ukiyoe needs too (so they are in the shaded jar as well,
     * and in a Spark installation's jars/): {@code mvn dependency:list} of spark-core_2.12 alone, against the
     * CLI's runtime class path without the spark profile.
     */
    static final List<String> SHARED = List.of("com/clearspring/analytics/stream/", "com/fasterxml/jackson/core/jackson-annotations/",
            "commons-codec/commons-codec/", "commons-io/commons-io/", "org/apache/commons/commons-collections4/",
            "org/apache/commons/commons-compress/", "org/apache/commons/commons-lang3/", "org/apache/commons/commons-math3/",
            "org/slf4j/slf4j-api/");

    /**
     * Spark's class path as a Spark installation has it: the test class path's jars whose classes are not in
     * the shaded jar (Spark and what only Spark brings), and the {@link #SHARED} libraries.
     */
    static List<String> sparkClassPath(Path shaded) throws Exception {
        Set<String> inJar;
        try (ZipFile z = new ZipFile(shaded.toFile())) {
            inJar = z.stream().map(ZipEntry::getName).collect(Collectors.toSet());
        }
        List<String> out = new ArrayList<>();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String e : cp.split(File.pathSeparator)) {
            if (!e.endsWith(".jar") || e.contains("ukiyoe-") || e.contains("junit") || e.contains("opentest4j")
                    || e.contains("apiguardian")) {
                continue;
            }
            try (ZipFile z = new ZipFile(e)) {
                String firstClass = z.stream().map(ZipEntry::getName)
                        .filter(n -> n.endsWith(".class") && !n.contains("module-info") && !n.startsWith("META-INF/"))
                        .findFirst().orElse(null);
                boolean shared = SHARED.stream().anyMatch(a -> e.replace(File.separatorChar, '/').contains("/" + a));
                if (shared || firstClass != null && !inJar.contains(firstClass)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** {@code spark-submit --master local[2] --class io.ukiyoe.cli.Main JAR ARGS}, as the script runs it; its output. */
    static String submit(Path jar, List<String> sparkJars, List<String> args, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Djava.awt.headless=true",
                "@" + Path.of("..", "spark", "java17-options.txt").toAbsolutePath().normalize()));
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, sparkJars), "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]", "--conf", "spark.driver.extraJavaOptions=-Djava.awt.headless=true"
                        + (cache == null ? "" : " -Dorg.bytedeco.javacpp.cachedir=" + cache),
                "--class", "io.ukiyoe.cli.Main", jar.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(8, TimeUnit.MINUTES), "spark-submit did not finish: " + Files.readString(log));
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
