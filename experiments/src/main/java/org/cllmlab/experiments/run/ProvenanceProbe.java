package org.cllmlab.experiments.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cllmlab.core.results.Provenance;

/** Reads where this run is happening: the commit, the JVM and its flags, the machine. */
public final class ProvenanceProbe {

    /** Set by the suite runner on forked runs, so that every run of a suite names the same commit. */
    public static final String COMMIT_PROPERTY = "cllmlab.commit";

    private static volatile String commit;

    private ProvenanceProbe() {
    }

    public static Provenance probe(long seed, String kernels) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new Provenance(commit(), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.vendor"), ManagementFactory.getRuntimeMXBean().getInputArguments(),
                Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Instant.now().toString(), seed, kernels, host(), cpuModel(), machineCores(), slurm(System.getenv()),
                List.of());
    }

    /**
     * This machine's host name, "unknown" when it cannot be read: the kernel's first, since the variable
     * {@code HOSTNAME} is inherited (a job submitted from a login node may carry the login node's).
     */
    public static String host() {
        String h;
        try {
            h = Files.readAllLines(Path.of("/proc/sys/kernel/hostname")).get(0).strip();
        } catch (IOException | RuntimeException e) {
            h = System.getenv("HOSTNAME");
            if (h == null || h.isBlank()) {
                try {
                    h = java.net.InetAddress.getLocalHost().getHostName();
                } catch (IOException ex) {
                    h = null;
                }
            }
        }
        return h == null || h.isBlank() ? "unknown" : h;
    }

    /** The CPU's model name from /proc/cpuinfo, "unknown" elsewhere. */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "unknown";
    }

    /** The machine's online processors, whatever this JVM was limited to ({@code -XX:ActiveProcessorCount}, taskset). */
    public static int machineCores() {
        try {
            String online = Files.readAllLines(Path.of("/sys/devices/system/cpu/online")).get(0).strip();
            int n = 0;
            for (String range : online.split(",")) {
                String[] ab = range.split("-");
                n += ab.length == 1 ? 1 : Integer.parseInt(ab[1]) - Integer.parseInt(ab[0]) + 1;
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** The Slurm job of this process, from its environment, or null outside Slurm. */
    public static Provenance.SlurmJob slurm(java.util.Map<String, String> env) {
        String job = env.get("SLURM_JOB_ID");
        if (job == null || job.isBlank()) {
            return null;
        }
        return new Provenance.SlurmJob(job, env.get("SLURM_ARRAY_JOB_ID"), env.get("SLURM_ARRAY_TASK_ID"),
                env.get("SLURMD_NODENAME"));
    }

    /** The project's commit, with "-dirty" when the work tree has changes; "unknown" outside a checkout. */
    public static String commit() {
        String c = commit;
        if (c == null) {
            c = System.getProperty(COMMIT_PROPERTY);
            if (c == null) {
                c = fromGit();
            }
            commit = c;
        }
        return c;
    }

    private static String fromGit() {
        String root = System.getProperty("cllmlab.root", ".");
        String head = git(root, "rev-parse", "HEAD");
        if (head == null || head.isBlank()) {
            return "unknown";
        }
        String status = git(root, "status", "--porcelain", "--untracked-files=no");
        return head.strip() + (status != null && !status.isBlank() ? "-dirty" : "");
    }

    private static String git(String root, String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", Path.of(root).toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
