package org.cllmlab.core.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Heap and non-heap figures from the memory MXBeans, and thread counts from the thread MXBean.
 *
 * <p>Heap <em>used</em> is bytes occupied by objects (live or not yet collected); heap <em>committed</em> is
 * what the JVM has committed for the heap, which is not the same as resident: committed heap that was never
 * touched takes no RAM. Non-heap is the code cache, metaspace and compressed class space (committed).
 *
 * <p>Thread counts cover platform threads only: {@link ThreadMXBean} does not count virtual threads, so a run
 * with virtual workers shows only their carrier threads (the ForkJoinPool workers) here.
 */
public final class HeapProbe {

    private HeapProbe() {
    }

    /**
     * One reading.
     *
     * @param heapUsedBytes        heap used (used)
     * @param heapCommittedBytes   heap committed (committed)
     * @param heapMaxBytes         heap maximum (-Xmx; reserved), -1 if undefined
     * @param nonHeapUsedBytes     non-heap used (code cache, metaspace)
     * @param nonHeapCommittedBytes non-heap committed
     * @param poolUsedBytes        used bytes per memory pool, by pool name
     * @param poolCommittedBytes   committed bytes per memory pool, by pool name
     * @param liveThreads          live platform threads
     * @param peakThreads          peak live platform threads since the JVM started (or since the last reset)
     * @param daemonThreads        live daemon platform threads
     */
    public record Snapshot(long heapUsedBytes, long heapCommittedBytes, long heapMaxBytes, long nonHeapUsedBytes,
                           long nonHeapCommittedBytes, Map<String, Long> poolUsedBytes,
                           Map<String, Long> poolCommittedBytes, int liveThreads, int peakThreads,
                           int daemonThreads) {
        public Snapshot {
            poolUsedBytes = Map.copyOf(poolUsedBytes);
            poolCommittedBytes = Map.copyOf(poolCommittedBytes);
        }
    }

    public static Snapshot sample() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        Map<String, Long> used = new LinkedHashMap<>();
        Map<String, Long> committed = new LinkedHashMap<>();
        long poolHeapUsed = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = pool.getUsage();
            if (u == null) {
                continue;
            }
            used.put(pool.getName(), u.getUsed());
            committed.put(pool.getName(), u.getCommitted());
            if (pool.getType() == MemoryType.HEAP) {
                poolHeapUsed += u.getUsed();
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // The pools are read after the total; take the larger used figure so a peak is not missed.
        long heapUsed = Math.max(heap.getUsed(), poolHeapUsed);
        return new Snapshot(heapUsed, heap.getCommitted(), heap.getMax(), nonHeap.getUsed(),
                nonHeap.getCommitted(), used, committed, threads.getThreadCount(), threads.getPeakThreadCount(),
                threads.getDaemonThreadCount());
    }
}
