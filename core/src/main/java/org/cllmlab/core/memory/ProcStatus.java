package org.cllmlab.core.memory;

import java.nio.file.Path;
import java.util.Map;

/**
 * The memory lines of {@code /proc/self/status}. All sizes in bytes; a field the kernel did not print is
 * {@code null}.
 *
 * @param vmRssBytes    resident set size (resident)
 * @param vmHwmBytes    peak resident set size since the process started, as the kernel saw it (resident)
 * @param rssAnonBytes  resident anonymous memory (resident)
 * @param rssFileBytes  resident file-backed memory (resident)
 * @param rssShmemBytes resident shared memory (resident)
 * @param vmSizeBytes   virtual size: all mapped address space (reserved)
 * @param threads       number of OS threads (platform threads and the JVM's own; not virtual threads)
 */
public record ProcStatus(Long vmRssBytes, Long vmHwmBytes, Long rssAnonBytes, Long rssFileBytes,
                         Long rssShmemBytes, Long vmSizeBytes, Integer threads) {

    public static final Path PATH = Path.of("/proc/self/status");

    /**
     * Parses the text of a status file.
     *
     * @throws IllegalArgumentException if the text is empty or has no memory line at all
     */
    public static ProcStatus parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("/proc status: empty text");
        }
        Map<String, Long> f = ProcFields.parse(text);
        Long threads = f.get("Threads");
        ProcStatus s = new ProcStatus(f.get("VmRSS"), f.get("VmHWM"), f.get("RssAnon"), f.get("RssFile"),
                f.get("RssShmem"), f.get("VmSize"), threads == null ? null : threads.intValue());
        if (s.vmRssBytes == null && s.rssAnonBytes == null && s.vmSizeBytes == null) {
            throw new IllegalArgumentException("/proc status: no VmRSS, RssAnon or VmSize line");
        }
        return s;
    }

    /** Reads {@code /proc/self/status}. */
    public static ProcStatus read() {
        return parse(ProcFields.read(PATH));
    }
}
