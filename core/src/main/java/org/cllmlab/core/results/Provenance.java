package org.cllmlab.core.results;

import java.util.List;

/**
 * Where a result came from, so that it can be reproduced and compared.
 *
 * @param gitCommit    the project's commit (with "-dirty" when the work tree had changes), or "unknown"
 * @param javaVersion  java.runtime.version
 * @param javaVendor   java.vm.vendor
 * @param jvmFlags     the JVM's input arguments
 * @param cores        available processors
 * @param memoryBytes  physical memory of the machine
 * @param os           os.name os.version os.arch
 * @param startedAt    ISO-8601 instant
 * @param seed         the run's seed
 * @param kernels      the kernel implementation's name
 */
public record Provenance(String gitCommit, String javaVersion, String javaVendor, List<String> jvmFlags,
                         int cores, long memoryBytes, String os, String startedAt, long seed, String kernels) {
    public Provenance {
        jvmFlags = jvmFlags == null ? List.of() : List.copyOf(jvmFlags);
    }
}
