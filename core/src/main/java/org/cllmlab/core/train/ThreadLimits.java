package org.cllmlab.core.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether this machine can start a run's platform worker threads, checked before the first one starts: the
 * kernel's limits on threads (the user's process limit, {@code kernel.threads-max}, {@code kernel.pid_max}, a
 * cgroup's {@code pids.max}), on memory mappings ({@code vm.max_map_count}: each thread's stack and its guard
 * page are mappings), and, under strict overcommit, on committed memory for the stacks. Past any of them the
 * JVM would print {@code pthread_create failed (EAGAIN)} for every thread it could not start, then fail with
 * {@code OutOfMemoryError: unable to create native thread}; this says which limit, and what fits, at once.
 * Virtual threads need none of this.
 */
public final class ThreadLimits {

    /** Threads the JVM and the run keep besides the workers (compiler, GC, sampler, main, ...). */
    static final int JVM_THREADS = 64;
    /** Memory mappings a platform thread adds: its stack and the guard page below it. */
    static final int MAPS_PER_THREAD = 2;

    /** A limit that the run's threads would pass. */
    public static final class LimitException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LimitException(String message) {
            super(message);
        }
    }

    private ThreadLimits() {
    }

    /**
     * @param threads    platform threads the run will start
     * @param stackBytes each one's stack size
     * @throws LimitException naming the limit, what is in use, and how many workers fit
     */
    public static void check(int threads, long stackBytes) {
        List<String> problems = new ArrayList<>();
        long fit = Long.MAX_VALUE;
        long need = threads + (long) JVM_THREADS;
        long systemThreads = systemThreads();

        long nproc = limit("Max processes");
        if (nproc > 0) {
            fit = Math.min(fit, report(problems, need, nproc, ownThreads(), 1,
                    "the user's process limit (ulimit -u) is " + nproc));
        }
        long threadsMax = number("/proc/sys/kernel/threads-max");
        if (threadsMax > 0 && systemThreads >= 0) {
            fit = Math.min(fit, report(problems, need, threadsMax, systemThreads, 1,
                    "kernel.threads-max is " + threadsMax + " and " + systemThreads + " threads run"));
        }
        long pidMax = number("/proc/sys/kernel/pid_max");
        if (pidMax > 0 && systemThreads >= 0) {
            fit = Math.min(fit, report(problems, need, pidMax, systemThreads, 1,
                    "kernel.pid_max is " + pidMax + " (every thread takes a pid) and " + systemThreads + " threads run"));
        }
        long pidsMax = cgroup("pids.max");
        if (pidsMax > 0) {
            long current = Math.max(0, cgroup("pids.current"));
            fit = Math.min(fit, report(problems, need, pidsMax, current, 1,
                    "this cgroup's pids.max is " + pidsMax + " and " + current + " are in use"));
        }
        long maxMaps = number("/proc/sys/vm/max_map_count");
        long maps = ownMaps();
        if (maxMaps > 0 && maps >= 0) {
            fit = Math.min(fit, report(problems, (long) threads * MAPS_PER_THREAD + JVM_THREADS, maxMaps, maps,
                    MAPS_PER_THREAD, "vm.max_map_count is " + maxMaps + " (a thread's stack and guard page are two"
                            + " mappings) and " + maps + " are in use"));
        }
        if (number("/proc/sys/vm/overcommit_memory") == 2) {
            long available = commitAvailable();
            if (available >= 0 && stackBytes > 0) {
                long fits = available / stackBytes;
                if ((long) threads > fits) {
                    problems.add(String.format(Locale.ROOT, "strict overcommit leaves %,d MiB to commit, and the stacks"
                            + " ask for %,d MiB", available >> 20, (long) threads * stackBytes >> 20));
                    fit = Math.min(fit, fits);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new LimitException(String.format(Locale.ROOT, "%,d platform worker threads cannot all start here: %s;"
                            + " at most about %,d fit. Lower --workers, use --threads virtual, or raise the limit",
                    threads, String.join("; ", problems), Math.max(0, fit)));
        }
    }

    /** Adds a problem if {@code need} does not fit under {@code limit} − {@code used}; returns how many threads fit. */
    private static long report(List<String> problems, long need, long limit, long used, int perThread, String what) {
        long room = limit - used;
        long fits = (room - JVM_THREADS) / perThread;
        if (need > room) {
            problems.add(what);
        }
        return fits;
    }

    /** The first line of a /proc or /sys file (read line by line: they report a size of 0), as a number. */
    private static long number(String file) {
        try {
            return Long.parseLong(Files.readAllLines(Path.of(file)).get(0).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A soft limit from /proc/self/limits, or -1 when unlimited or unknown. */
    static long limit(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith(name)) {
                    String soft = line.substring(name.length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    /** Threads on the whole system, from /proc/loadavg ("running/total"), or -1. */
    static long systemThreads() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/loadavg")).get(0).strip().split("\\s+");
            return Long.parseLong(f[3].substring(f[3].indexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long ownThreads() {
        try (var s = Files.list(Path.of("/proc/self/task"))) {
            return s.count();
        } catch (IOException | RuntimeException e) {
            return Thread.activeCount();
        }
    }

    private static long ownMaps() {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long cgroup(String file) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                if (line.startsWith("0::")) {
                    Path p = Path.of("/sys/fs/cgroup" + line.substring(3)).resolve(file);
                    String v = Files.readAllLines(p).get(0).strip();
                    return v.equals("max") ? -1 : Long.parseLong(v);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no cgroup v2 limit
        }
        return -1;
    }

    private static long commitAvailable() {
        try {
            long limit = -1;
            long committed = -1;
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("CommitLimit:")) {
                    limit = Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                } else if (line.startsWith("Committed_AS:")) {
                    committed = Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
            return limit < 0 || committed < 0 ? -1 : limit - committed;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
