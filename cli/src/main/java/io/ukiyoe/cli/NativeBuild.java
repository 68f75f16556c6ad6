package io.ukiyoe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which native build of the CPU backend ND4J loads. The CLI ships libnd4j's oneDNN builds for AVX2 and for
 * AVX-512 side by side; left to itself JavaCPP loads the AVX2 one. On a CPU with the AVX-512 subsets the
 * AVX-512 build was compiled for, this selects it through JavaCPP's platform extension (a system property
 * read when the backend first loads), unless the user already set that property. Elsewhere, or when the
 * AVX-512 jar is not on the classpath (the tests, a CUDA build), nothing changes.
 */
final class NativeBuild {
    /** JavaCPP's system property: which of a preset's builds to load (other presets fall back to their plain build). */
    static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";
    static final String AVX512 = "-onednn-avx512";
    /** The AVX-512 subsets of {@code -march=skylake-avx512}, libnd4j's AVX-512 target. */
    static final List<String> NEEDED_FLAGS = List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");
    private static final String LIBRARY = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64" + AVX512 + "/libnd4jcpu.so";

    private NativeBuild() {}

    /** Selects the AVX-512 build where it applies; call before anything touches ND4J. */
    static void select() {
        boolean shipped = NativeBuild.class.getClassLoader().getResource(LIBRARY) != null;
        String choice = choose(System.getProperty(PROPERTY), shipped, cpuFlags(Path.of("/proc/cpuinfo")));
        if (choice != null) {
            System.setProperty(PROPERTY, choice);
        }
    }

    /** The extension to set, or null to leave JavaCPP's choice (the user's setting, or its default). */
    static String choose(String userSetting, boolean avx512Shipped, Set<String> cpuFlags) {
        if (userSetting != null || !avx512Shipped || !cpuFlags.containsAll(NEEDED_FLAGS)) {
            return null;
        }
        return AVX512;
    }

    /** The flags of the first processor in a Linux {@code /proc/cpuinfo}; empty where there is none. */
    static Set<String> cpuFlags(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("flags")) {
                    int colon = line.indexOf(':');
                    return new HashSet<>(Arrays.asList(line.substring(colon + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: keep JavaCPP's default
        }
        return Set.of();
    }
}
