package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeBuildTest {
    private static final Set<String> AVX2_ONLY = Set.of("sse4_2", "avx", "avx2", "fma");
    private static final Set<String> AVX512 = with(AVX2_ONLY, NativeBuild.NEEDED_FLAGS.toArray(String[]::new));

    @Test
    void selectsTheAvx512BuildOnlyWhereTheCpuHasEverySubsetAndTheJarIsShipped() {
        assertEquals(NativeBuild.AVX512, NativeBuild.choose(null, true, AVX512));
        assertNull(NativeBuild.choose(null, true, AVX2_ONLY));
        assertNull(NativeBuild.choose(null, true, with(AVX2_ONLY, "avx512f")), "avx512f alone (no bw/vl/dq/cd) is not enough");
        assertNull(NativeBuild.choose(null, false, AVX512), "no AVX-512 jar on the classpath (tests, CUDA builds)");
        assertNull(NativeBuild.choose("-onednn-avx2", true, AVX512), "the user's own setting wins");
        assertNull(NativeBuild.choose(null, true, Set.of()), "no /proc/cpuinfo");
    }

    @Test
    void readsTheFlagsOfProcCpuinfo(@TempDir Path dir) throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu avx2 avx512f avx512bw\n\n"
                + "processor\t: 1\nflags\t\t: fpu avx2 avx512f avx512bw\n");
        assertEquals(Set.of("fpu", "avx2", "avx512f", "avx512bw"), NativeBuild.cpuFlags(cpuinfo));
        assertTrue(NativeBuild.cpuFlags(dir.resolve("missing")).isEmpty());
    }

    private static Set<String> with(Set<String> base, String... more) {
        Set<String> s = new HashSet<>(base);
        s.addAll(Set.of(more));
        return s;
    }
}
