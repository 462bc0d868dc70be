package org.cllmlab.experiments.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cllmlab.core.run.SpecException;

/** The CPUs this process may run on (its affinity: a cgroup or a cluster's allocation may be fewer than the machine's). */
final class Cpus {

    private Cpus() {
    }

    /** The CPU ids of {@code Cpus_allowed_list} in /proc/self/status, or 0..n-1 when it cannot be read. */
    static List<Integer> allowed() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return parseList(line.substring(line.indexOf(':') + 1).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            all.add(i);
        }
        return all;
    }

    /** {@code "0-3,6"} → 0, 1, 2, 3, 6. */
    static List<Integer> parseList(String list) {
        List<Integer> out = new ArrayList<>();
        for (String range : list.split(",")) {
            if (range.isBlank()) {
                continue;
            }
            String[] ab = range.strip().split("-");
            int a = Integer.parseInt(ab[0]);
            int b = ab.length == 1 ? a : Integer.parseInt(ab[1]);
            for (int i = a; i <= b; i++) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * The first {@code n} allowed CPUs as a taskset list ({@code "0,1"}).
     *
     * @throws SpecException when fewer than {@code n} CPUs are allowed
     */
    static String firstAllowed(int n) {
        List<Integer> allowed = allowed();
        if (allowed.size() < n) {
            throw new SpecException("cpus", n + "; this process may use only " + allowed.size() + " CPUs ("
                    + allowed + "); expected at most " + allowed.size());
        }
        List<String> ids = allowed.subList(0, n).stream().map(String::valueOf).toList();
        return String.join(",", ids);
    }
}
