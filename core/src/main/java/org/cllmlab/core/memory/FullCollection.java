package org.cllmlab.core.memory;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.function.LongSupplier;

/**
 * Takes the garbage collector's timing out of a resident figure. On the JVM the resident size moves with the
 * collector: garbage not yet collected and heap pages touched once and free since are resident too, and they
 * can outweigh the effect being measured. At the moment the run's buffers are all alive, this waits (at most
 * {@value #MAX_JIT_WAIT_MILLIS} ms) until the JIT compiler has gone quiet, whose arenas are transient; runs a
 * full collection and has G1 give the free heap back to the operating system (the manageable flags
 * {@code MinHeapFreeRatio} 0 and {@code MaxHeapFreeRatio} 1 for that collection); has the C library give
 * freed native memory back ({@code System.trim_native_heap}); then waits until the resident size has
 * settled (G1 uncommits concurrently, starting 100 ms after the collection, in chunks: the wait is at least
 * 400 ms and ends when the size has not moved for 200 ms). What remains is the live set in the heap, plus
 * at most a hundredth of it free, plus everything outside the heap: a figure that does not depend on when
 * the collector last ran. The difference from the sampled peak is the GC slack (with the allocator's).
 *
 * <p>This is a cheaper relative of DaCapo's minimum-heap methodology: both remove the heap's slack from the
 * comparison; this one measures resident pages after removing it, in the run itself, with no extra runs.
 */
public final class FullCollection {

    /** How the suites name this method in their reports. */
    public static final String METHOD = "resident after a full collection at the peak, with the JIT compiler"
            + " quiet, free heap and freed native memory given back (G1, MaxHeapFreeRatio 1; malloc_trim), once it"
            + " settled";

    /** Settled when the readings of {@link #STEADY_POLLS} polls in a row differ by less than this share. */
    private static final double SETTLED_SHARE = 0.002;
    private static final int STEADY_POLLS = 8;
    private static final long POLL_MILLIS = 25;
    /** G1 starts uncommitting 100 ms after the collection, then works in chunks: never settle before this. */
    private static final long MIN_WAIT_MILLIS = 400;
    private static final long MAX_WAIT_MILLIS = 4_000;
    /** The JIT compiler is quiet when its total compilation time has not moved for this long. */
    private static final long JIT_QUIET_MILLIS = 250;
    private static final long MAX_JIT_WAIT_MILLIS = 3_000;

    /**
     * What the collection left.
     *
     * @param residentBytes      RSS once it settled
     * @param liveHeapBytes      heap used right after the collection (the live set)
     * @param heapCommittedBytes heap committed after the collection
     * @param settled            whether the RSS settled within the wait (false: the last reading is given)
     * @param millis             how long the collection and the wait took
     */
    public record Result(long residentBytes, long liveHeapBytes, long heapCommittedBytes, boolean settled,
                         long millis) {
    }

    private FullCollection() {
    }

    /** {@link #collect(LongSupplier)} with the resident size from {@code /proc/self/statm}. */
    public static Result collect() {
        return collect(MemorySample.Statm::rssBytes);
    }

    /**
     * Collects, gives the free heap back, and waits for {@code rss} (a reading of the resident size) to settle.
     * The flags are restored afterwards.
     */
    public static Result collect(LongSupplier rss) {
        awaitQuietCompiler();
        return shrink(rss);
    }

    /**
     * The collection alone, without waiting for the compiler: for a run's set-up, so that the garbage of
     * generating the corpus (and of the JIT warm-up) goes back to the operating system and the run's buffers
     * land on fresh pages. Reused pages would make the figure depend on the allocator's history: G1 places a
     * large array in whole regions, and the unused tail of a region that was touched before stays resident
     * (at {@code seed}, over 100 MiB for the oversized caches).
     */
    public static Result shrink() {
        return shrink(MemorySample.Statm::rssBytes);
    }

    private static Result shrink(LongSupplier rss) {
        long t0 = System.nanoTime();
        HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String min = option(hs, "MinHeapFreeRatio");
        String max = option(hs, "MaxHeapFreeRatio");
        try {
            set(hs, "MinHeapFreeRatio", "0");
            set(hs, "MaxHeapFreeRatio", "1");
            System.gc();
            trimNativeHeap();
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            long last = rss.getAsLong();
            int steady = 0;
            boolean settled = false;
            long start = System.nanoTime();
            long earliest = start + MIN_WAIT_MILLIS * 1_000_000;
            long deadline = start + MAX_WAIT_MILLIS * 1_000_000;
            while (System.nanoTime() < deadline) {
                sleep(POLL_MILLIS);
                long now = rss.getAsLong();
                steady = Math.abs(now - last) < SETTLED_SHARE * Math.max(1, last) ? steady + 1 : 0;
                last = now;
                if (steady >= STEADY_POLLS && System.nanoTime() >= earliest) {
                    settled = true;
                    break;
                }
            }
            return new Result(last, heap.getUsed(), heap.getCommitted(), settled,
                    (System.nanoTime() - t0) / 1_000_000);
        } finally {
            // Max first when raising, Min first when lowering: the JVM keeps Min <= Max at every step.
            if (max != null) {
                set(hs, "MaxHeapFreeRatio", max);
            }
            if (min != null) {
                set(hs, "MinHeapFreeRatio", min);
            }
        }
    }

    /** Waits until the JIT compiler's total time stops moving, at most {@link #MAX_JIT_WAIT_MILLIS}. */
    static void awaitQuietCompiler() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + MAX_JIT_WAIT_MILLIS * 1_000_000;
        long last = jit.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            sleep(POLL_MILLIS);
            long now = jit.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= JIT_QUIET_MILLIS * 1_000_000) {
                return;
            }
        }
    }

    /**
     * Has the C library give freed native memory back ({@code System.trim_native_heap}, glibc's
     * {@code malloc_trim}): the JIT compiler's arenas, freed after compiling, otherwise stay resident as
     * allocator slack. Returns whether the JVM could.
     */
    static boolean trimNativeHeap() {
        try {
            javax.management.ObjectName dcmd = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
            ManagementFactory.getPlatformMBeanServer().invoke(dcmd, "systemTrimNativeHeap", new Object[]{null},
                    new String[]{String[].class.getName()});
            return true;
        } catch (javax.management.JMException | RuntimeException e) {
            return false;
        }
    }

    private static String option(HotSpotDiagnosticMXBean hs, String name) {
        try {
            return hs.getVMOption(name).getValue();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void set(HotSpotDiagnosticMXBean hs, String name, String value) {
        try {
            hs.setVMOption(name, value);
        } catch (RuntimeException e) {
            // not manageable on this JVM: the collection still runs, with the JVM's own shrinking
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
