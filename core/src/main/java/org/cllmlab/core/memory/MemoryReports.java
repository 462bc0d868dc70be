package org.cllmlab.core.memory;

import java.util.Locale;
import java.util.Map;
import org.cllmlab.core.results.MemoryReport;
import org.cllmlab.core.results.MemoryRow;

/**
 * Human-readable text of a {@link MemoryReport}, for the CLI's {@code memory} command.
 *
 * <p>Which figure is which: the table's rows add up to the peak <b>resident</b> size (RSS); each row's kind
 * says what its bytes measure: {@code resident} (pages in RAM, from /proc or System.map), {@code used} (heap
 * bytes occupied by objects, inside the resident heap) or {@code committed} (a committed figure standing in
 * for a resident one; its note says so). Below the table, figures that are <b>not</b> part of the sum:
 * <b>reserved</b> stacks (address space only: NMT's figure, the requested sizes), <b>committed</b> stacks and
 * heap (backed or promised, not necessarily touched), and NMT's reserved/committed per category.
 */
public final class MemoryReports {

    private MemoryReports() {
    }

    public static String toText(MemoryReport r) {
        StringBuilder sb = new StringBuilder();
        long peak = r.peakResidentBytes();
        sb.append(String.format(Locale.ROOT, "%-24s %-10s %10s %7s  %s%n", "row", "kind", "MiB", "% RSS", "note"));
        for (MemoryRow row : r.breakdown()) {
            sb.append(String.format(Locale.ROOT, "%-24s %-10s %10s %7s  %s%n", row.name(), row.kind().id(),
                    mib(row.bytes()), pct(row.bytes(), peak), row.note()));
        }
        sb.append(String.format(Locale.ROOT, "%-24s %-10s %10s %7s%n", "= peak resident (RSS)", "resident",
                mib(peak), pct(peak, peak)));
        sb.append('\n');
        MemoryReport.Collected c = r.collected();
        if (c != null) {
            sb.append("The sampled peak depends on when the garbage collector last ran. The stable figure is the\n")
                    .append(c.method()).append(":\n");
            line(sb, "resident after the collection, resident", c.residentBytes());
            line(sb, "GC slack (sampled peak - that), resident", r.gcSlackBytes());
            line(sb, "live heap after the collection, used", c.liveHeapBytes());
            line(sb, "heap committed after the collection, committed", c.heapCommittedBytes());
            if (!c.settled()) {
                sb.append("(the resident size was still moving when it was read)\n");
            }
            sb.append('\n');
        }
        if (r.setupPeakResidentBytes() != null) {
            sb.append("The peaks above are training's; setting up (generating and tokenizing the corpus) peaked apart:\n");
            line(sb, "set-up peak (RSS), resident", r.setupPeakResidentBytes());
        }
        line(sb, "peak proportional (PSS), resident", r.peakProportionalBytes());
        line(sb, "unaccounted, resident", r.unaccountedBytes());
        line(sb, "heap used peak, used", r.heapUsedPeakBytes());
        line(sb, "heap committed peak, committed", r.heapCommittedPeakBytes());
        line(sb, "thread stacks reserved, reserved", r.stackReservedBytes());
        line(sb, "thread stacks committed (NMT), committed", r.stackCommittedBytes());
        line(sb, "worker stacks requested, reserved", r.stackRequestedBytes());
        sb.append(String.format(Locale.ROOT, "%-44s %d (%d workers, %s)%n", "peak platform threads",
                r.peakThreads(), r.workerThreads(), r.virtualWorkers() ? "virtual; not counted by the JVM's thread count"
                        : "platform"));
        if (r.datasetBytes() > 0) {
            sb.append(String.format(Locale.ROOT, "%-44s %.1f%n", "resident / dataset", r.residentToDatasetRatio()));
        }
        sb.append(String.format(Locale.ROOT, "%-44s %d%n", "samples", r.samples()));
        if (r.nmt() != null) {
            sb.append(String.format(Locale.ROOT, "%nNMT (not summed)%n%-24s %12s %12s%n", "category",
                    "reserved MiB", "committed MiB"));
            for (Map.Entry<String, long[]> e : r.nmt().entrySet()) {
                sb.append(String.format(Locale.ROOT, "%-24s %12s %12s%n", e.getKey(), mib(e.getValue()[0]),
                        mib(e.getValue()[1])));
            }
        } else {
            sb.append("\nNMT: not enabled (run with -XX:NativeMemoryTracking=summary)\n");
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, Long bytes) {
        sb.append(String.format(Locale.ROOT, "%-44s %s%n", label, bytes == null ? "n/a" : mib(bytes) + " MiB"));
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    static String pct(long part, long whole) {
        return whole <= 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
