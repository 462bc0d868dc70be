package org.cllmlab.core.results;

import java.util.List;
import java.util.Map;

/**
 * Everything measured about a run's memory. Figures that could not be measured are {@code null}
 * (for example NMT figures when the JVM ran without {@code -XX:NativeMemoryTracking}), never zero.
 *
 * @param breakdown            rows that add up to {@code peakResidentBytes} (the last is the residual)
 * @param peakResidentBytes    peak RSS seen by the sampler (resident)
 * @param peakProportionalBytes peak PSS (resident, shared pages divided among sharers)
 * @param unaccountedBytes     resident bytes the breakdown does not explain
 * @param ledger               ledger bytes by category id at the peak (used heap)
 * @param heapUsedPeakBytes    peak heap used (used)
 * @param heapCommittedPeakBytes peak heap committed (committed)
 * @param stackReservedBytes   thread stacks reserved: NMT's figure, else requested sizes summed (reserved)
 * @param stackCommittedBytes  thread stacks committed per NMT (committed), null without NMT
 * @param stackRequestedBytes  sum of the stack sizes the run asked for, for its worker threads (reserved)
 * @param nmt                  NMT category → [reserved, committed] bytes, null without NMT
 * @param peakThreads          peak live thread count (platform threads seen by the JVM)
 * @param workerThreads        worker threads of the run
 * @param virtualWorkers       whether workers were virtual threads
 * @param spheres              hierarchy spheres built
 * @param hierarchyBytes       ledgered bytes of the hierarchy
 * @param datasetBytes         size of the corpus in bytes (for the original's memory/dataset ratio)
 * @param samples              how many probe samples were taken
 * @param setupPeakResidentBytes peak RSS while the run was being set up (corpus generated, dataset
 *                             tokenized), before training; the other figures describe training alone.
 *                             Null when the phases were not told apart.
 * @param collected            the resident size after a full collection at the peak, the figure that does
 *                             not depend on when the garbage collector last ran (null for runs measured
 *                             without it)
 */
public record MemoryReport(
        List<MemoryRow> breakdown,
        long peakResidentBytes,
        Long peakProportionalBytes,
        long unaccountedBytes,
        Map<String, Long> ledger,
        long heapUsedPeakBytes,
        long heapCommittedPeakBytes,
        Long stackReservedBytes,
        Long stackCommittedBytes,
        long stackRequestedBytes,
        Map<String, long[]> nmt,
        int peakThreads,
        int workerThreads,
        boolean virtualWorkers,
        int spheres,
        long hierarchyBytes,
        long datasetBytes,
        int samples,
        Long setupPeakResidentBytes,
        Collected collected) {

    public MemoryReport {
        breakdown = List.copyOf(breakdown);
        ledger = ledger == null ? Map.of() : Map.copyOf(ledger);
    }

    /**
     * The resident figure with the GC's slack taken out: the suites' memory verdicts are decided on it.
     * Without a collection, the sampled peak.
     */
    public long stableResidentBytes() {
        return collected != null ? collected.residentBytes() : peakResidentBytes;
    }

    /** Sampled peak − resident after the collection: garbage not yet collected and free heap pages (0 without one). */
    public long gcSlackBytes() {
        return collected == null ? 0 : Math.max(0, peakResidentBytes - collected.residentBytes());
    }

    public MemoryReport withCollected(Collected c) {
        return new MemoryReport(breakdown, peakResidentBytes, peakProportionalBytes, unaccountedBytes, ledger,
                heapUsedPeakBytes, heapCommittedPeakBytes, stackReservedBytes, stackCommittedBytes, stackRequestedBytes,
                nmt, peakThreads, workerThreads, virtualWorkers, spheres, hierarchyBytes, datasetBytes, samples,
                setupPeakResidentBytes, c);
    }

    /**
     * The resident size after a full collection at the peak (the run's buffers all alive), with the free heap
     * given back to the operating system.
     *
     * @param method             how it was measured, in words
     * @param residentBytes      RSS once it settled (resident)
     * @param liveHeapBytes      heap used after the collection: the live set (used)
     * @param heapCommittedBytes heap committed after the collection (committed)
     * @param settled            whether the RSS settled within the wait
     * @param breakdown          rows that add up to {@code residentBytes}, as the peak's do
     */
    public record Collected(String method, long residentBytes, long liveHeapBytes, long heapCommittedBytes,
                            boolean settled, List<MemoryRow> breakdown) {
        public Collected {
            breakdown = breakdown == null ? List.of() : List.copyOf(breakdown);
        }
    }

    /** Process resident memory as a multiple of the dataset size (the original's ratio). */
    public double residentToDatasetRatio() {
        return datasetBytes == 0 ? Double.NaN : (double) peakResidentBytes / datasetBytes;
    }
}
