package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the build puts on the classpath (the same resolution as cli/target/lib): the transitive libraries
 * with known vulnerabilities at their fixed versions, one ND4J backend, and no generic native jar beside
 * the oneDNN one, while the backend still loads and computes.
 */
class BuildHygieneTest {
    private static final List<String> CLASSPATH = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(p -> new File(p).getName()).toList();

    @Test
    void vulnerableTransitiveLibrariesArePinnedToFixedVersions() {
        assertAtLeast("commons-compress", "1.26.0");   // CVE-2024-25710, CVE-2024-26308
        assertAtLeast("commons-io", "2.14.0");         // CVE-2024-47554
        assertAtLeast("commons-net", "3.9.0");         // CVE-2021-37533
        assertAtLeast("commons-lang3", "3.18.0");      // CVE-2025-48924
        assertAtLeast("commons-codec", "1.13");        // WS-2019-0379
        assertTrue(CLASSPATH.stream().anyMatch(j -> j.startsWith("imageio-jpeg-3.")), "TwelveMonkeys JPEG reader");
    }

    @Test
    void oneBackendWithoutTheGenericNativeJarStillComputes() {
        boolean cpu = CLASSPATH.stream().anyMatch(j -> j.startsWith("nd4j-native-1"));
        boolean cuda = CLASSPATH.stream().anyMatch(j -> j.startsWith("nd4j-cuda-"));
        assertTrue(cpu ^ cuda, "exactly one ND4J backend: " + CLASSPATH.stream().filter(j -> j.startsWith("nd4j-")).toList());
        if (cpu) {
            assertTrue(CLASSPATH.stream().noneMatch(j -> j.matches("nd4j-native-[0-9.A-Z-]+-linux-x86_64\\.jar")),
                    "the generic linux-x86_64 native jar is excluded: " + CLASSPATH.stream().filter(j -> j.startsWith("nd4j-native")).toList());
        }
        assertEquals(30.0, Nd4j.createFromArray(1f, 2f, 3f, 4f).mul(Nd4j.createFromArray(1f, 2f, 3f, 4f)).sumNumber().doubleValue(), 0);
    }

    private static void assertAtLeast(String artifact, String minimum) {
        Pattern p = Pattern.compile(Pattern.quote(artifact) + "-(\\d+(?:\\.\\d+)*)\\.jar");
        List<String> versions = CLASSPATH.stream().map(p::matcher).filter(Matcher::matches).map(m -> m.group(1)).toList();
        assertEquals(1, versions.size(), artifact + " once on the classpath: " + versions);
        assertTrue(compare(versions.get(0), minimum) >= 0, artifact + " " + versions.get(0) + " < " + minimum);
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int d = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }
}
