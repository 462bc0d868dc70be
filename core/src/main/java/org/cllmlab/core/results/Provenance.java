package org.cllmlab.core.results;

import java.util.List;

/**
 * Where a result came from, so that it can be reproduced and compared, and so that results from
 * different machines are never mixed silently.
 *
 * @param gitCommit   the project's commit (with "-dirty" when the work tree had changes), or "unknown"
 * @param javaVersion java.runtime.version
 * @param javaVendor  java.vm.vendor
 * @param jvmFlags    the JVM's input arguments
 * @param cores       available processors (as this JVM saw them)
 * @param memoryBytes physical memory of the machine
 * @param os          os.name os.version os.arch
 * @param startedAt   ISO-8601 instant
 * @param seed        the run's seed
 * @param kernels     the kernel implementation's name
 * @param host        the machine's host name ("unknown" when it cannot be read)
 * @param cpuModel    the CPU's model name from /proc/cpuinfo ("unknown" elsewhere)
 * @param machineCores the machine's online processors, whatever this JVM was limited to
 * @param slurm       the Slurm job this run ran in, or null outside Slurm
 * @param plugins     the run's components that came from plug-in jars (empty for none)
 */
public record Provenance(String gitCommit, String javaVersion, String javaVendor, List<String> jvmFlags,
                         int cores, long memoryBytes, String os, String startedAt, long seed, String kernels,
                         String host, String cpuModel, int machineCores, SlurmJob slurm, List<PluginUse> plugins) {
    public Provenance {
        jvmFlags = jvmFlags == null ? List.of() : List.copyOf(jvmFlags);
        plugins = plugins == null ? List.of() : List.copyOf(plugins);
    }

    /** A machine's identity for grouping results: host, CPU model and cores. */
    public String machine() {
        return (host == null ? "unknown" : host) + " (" + (cpuModel == null ? "unknown CPU" : cpuModel) + ", "
                + Math.max(cores, machineCores) + " cores)";
    }

    public Provenance withPlugins(List<PluginUse> uses) {
        return new Provenance(gitCommit, javaVersion, javaVendor, jvmFlags, cores, memoryBytes, os, startedAt, seed,
                kernels, host, cpuModel, machineCores, slurm, uses);
    }

    public Provenance withJvmFlags(List<String> flags) {
        return new Provenance(gitCommit, javaVersion, javaVendor, flags, cores, memoryBytes, os, startedAt, seed,
                kernels, host, cpuModel, machineCores, slurm, plugins);
    }

    public Provenance withSlurm(SlurmJob job) {
        return new Provenance(gitCommit, javaVersion, javaVendor, jvmFlags, cores, memoryBytes, os, startedAt, seed,
                kernels, host, cpuModel, machineCores, job, plugins);
    }

    /**
     * The Slurm job of a run (from the task's environment).
     *
     * @param jobId       SLURM_JOB_ID
     * @param arrayJobId  SLURM_ARRAY_JOB_ID, or null outside an array
     * @param arrayTaskId SLURM_ARRAY_TASK_ID, or null outside an array
     * @param nodeName    SLURMD_NODENAME
     */
    public record SlurmJob(String jobId, String arrayJobId, String arrayTaskId, String nodeName) {
    }
}
