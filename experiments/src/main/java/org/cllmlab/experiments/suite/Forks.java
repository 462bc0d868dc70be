package org.cllmlab.experiments.suite;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cllmlab.core.run.RunSpec;
import org.cllmlab.experiments.cli.Main;

/** How a run's JVM is started: the same java as this JVM, this jar (or class path), the runner's own flags. */
public final class Forks {

    /** Set on forked runs: the runner's process id, so that a run whose runner died stops too. */
    public static final String PARENT_PID_PROPERTY = "cllmlab.parentPid";

    private Forks() {
    }

    /** The java executable of this JVM. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Flags every forked run gets, after its own options: NMT on, the Vector API module (for the
     * {@code vector} kernels), and JDK 24+'s Unsafe warning off.
     */
    public static List<String> runnerFlags() {
        List<String> flags = new ArrayList<>();
        flags.add("-XX:NativeMemoryTracking=summary");
        flags.add("--add-modules=jdk.incubator.vector");
        if (Runtime.version().feature() >= 24) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        // The shaded jar's manifest opens java.lang for -jar; a -cp launch needs it on the command line.
        flags.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        return flags;
    }

    /** The class path of a forked run: the jar that holds this code, else (in a build) this JVM's class path. */
    public static String classPath() {
        try {
            Path here = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(here) && here.toString().endsWith(".jar")) {
                return here.toString();
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the class path
        }
        return System.getProperty("java.class.path", "") ;
    }

    /**
     * The full command of one forked run: the spec's JVM options and the runner's flags; with
     * {@code cpus > 0}, pinned to that many of the CPUs this process may use ({@code taskset}) and told so
     * ({@code -XX:ActiveProcessorCount}), so that the JVM sizes its GC and compiler threads, and the
     * strategies their slots, for those CPUs alone. The run stops when this process is gone.
     */
    public static List<String> command(RunSpec spec, String commit, Path request, Path result) {
        return command(spec, commit, request, result, true);
    }

    /**
     * The command of a run as a task of a Slurm job array, on whichever node Slurm picks: as
     * {@link #command}, but the CPUs are Slurm's allocation (no {@code taskset} with this machine's CPU ids;
     * {@code -XX:ActiveProcessorCount} still says how many), and the run does not watch this process, which
     * may have ended long before the task starts.
     */
    public static List<String> taskCommand(RunSpec spec, String commit, Path request, Path result) {
        return command(spec, commit, request, result, false);
    }

    private static List<String> command(RunSpec spec, String commit, Path request, Path result, boolean local) {
        List<String> cmd = new ArrayList<>();
        if (local && spec.cpus() > 0) {
            cmd.addAll(List.of("taskset", "-c", Cpus.firstAllowed(spec.cpus())));
        }
        cmd.add(javaExecutable());
        cmd.addAll(spec.jvmOptions());
        if (spec.cpus() > 0) {
            cmd.add("-XX:ActiveProcessorCount=" + spec.cpus());
        }
        cmd.addAll(runnerFlags());
        cmd.add("-D" + org.cllmlab.experiments.run.ProvenanceProbe.COMMIT_PROPERTY + "=" + commit);
        if (local) {
            cmd.add("-D" + PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        }
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(ForkedRun.class.getName());
        cmd.add(request.toAbsolutePath().toString());
        cmd.add(result.toAbsolutePath().toString());
        return cmd;
    }
}
