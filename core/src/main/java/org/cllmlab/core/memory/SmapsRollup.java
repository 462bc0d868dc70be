package org.cllmlab.core.memory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The process's resident and proportional memory, from {@code /proc/self/smaps_rollup} (Linux 4.14+), or,
 * where that file does not exist, from the RSS lines of {@code /proc/self/status}. {@link #source()} says
 * which. All figures are resident (pages in RAM), in bytes; a figure the source lacks is {@code null}.
 *
 * @param source         where the figures came from
 * @param rssBytes       resident set size
 * @param pssBytes       proportional set size: shared pages divided among the processes sharing them
 * @param pssAnonBytes   the anonymous part of PSS
 * @param pssFileBytes   the file-backed part of PSS
 * @param pssShmemBytes  the shared-memory part of PSS
 * @param anonymousBytes resident anonymous pages (from status: RssAnon)
 * @param fileBytes      resident file-backed pages (from status only: RssFile; the rollup has no such line)
 * @param swapBytes      swapped-out anonymous pages (not resident)
 * @param swapPssBytes   proportional swap
 * @param fields         every "Key: n kB" field of the source, in bytes, including ones not named above
 */
public record SmapsRollup(Source source, long rssBytes, Long pssBytes, Long pssAnonBytes, Long pssFileBytes,
                          Long pssShmemBytes, Long anonymousBytes, Long fileBytes, Long swapBytes,
                          Long swapPssBytes, Map<String, Long> fields) {

    public static final Path PATH = Path.of("/proc/self/smaps_rollup");

    /** Where the figures were read. */
    public enum Source {
        SMAPS_ROLLUP,
        /** Kernels without smaps_rollup: no PSS figures. */
        PROC_STATUS
    }

    public SmapsRollup {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    /**
     * Parses the text of an smaps_rollup file.
     *
     * @throws IllegalArgumentException if the text is empty or has no {@code Rss} line
     */
    public static SmapsRollup parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("smaps_rollup: empty text");
        }
        Map<String, Long> f = ProcFields.parse(text);
        Long rss = f.get("Rss");
        if (rss == null) {
            throw new IllegalArgumentException("smaps_rollup: no Rss line in " + f.keySet());
        }
        return new SmapsRollup(Source.SMAPS_ROLLUP, rss, f.get("Pss"), f.get("Pss_Anon"), f.get("Pss_File"),
                f.get("Pss_Shmem"), f.get("Anonymous"), null, f.get("Swap"), f.get("SwapPss"), f);
    }

    /** The fallback: the RSS figures of /proc/self/status, without any PSS. */
    public static SmapsRollup fromStatus(String statusText) {
        ProcStatus s = ProcStatus.parse(statusText);
        if (s.vmRssBytes() == null) {
            throw new IllegalArgumentException("/proc status: no VmRSS line");
        }
        Map<String, Long> f = ProcFields.parse(statusText);
        return new SmapsRollup(Source.PROC_STATUS, s.vmRssBytes(), null, null, null, null, s.rssAnonBytes(),
                s.rssFileBytes(), f.get("VmSwap"), null, f);
    }

    /** Reads smaps_rollup, or /proc/self/status where the kernel has no smaps_rollup. */
    public static SmapsRollup read() {
        return read(PATH, ProcStatus.PATH);
    }

    static SmapsRollup read(Path rollup, Path status) {
        if (Files.isReadable(rollup)) {
            return parse(ProcFields.read(rollup));
        }
        return fromStatus(ProcFields.read(status));
    }
}
