package org.cllmlab.core.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples every probe on a daemon thread during a run, so that peaks are caught, and keeps:
 * <ul>
 *   <li>the sample at peak RSS ({@link #peakSample()}) with all other figures of that moment;</li>
 *   <li>the detailed sample (with the per-mapping map and NMT) nearest the peak ({@link #peakDetailedSample()});
 *       a detailed sample is taken whenever RSS passes the last detailed sample's RSS by more than 1%, so the
 *       peak RSS is at most 1% above the detailed sample that explains it;</li>
 *   <li>the peak of each figure on its own ({@link #peaks()}).</li>
 * </ul>
 * Each tick reads only cheap probes: RSS from /proc/self/statm (kernel counters) and the MXBeans, well under a
 * millisecond. When RSS reaches a new peak, the tick also reads smaps_rollup (PSS; its page walk costs a few
 * milliseconds on a JVM with a large heap), /proc/self/status and, if the JVM runs with NMT, the NMT summary;
 * so PSS and NMT peaks are those seen at RSS peaks. It never throws into the run: a failed read is
 * recorded in {@link #failures()} and sampling goes on. The sampler's own thread is one more platform thread
 * in the counts.
 */
public final class MemorySampler implements AutoCloseable {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(50);
    private static final int MAX_FAILURES = 50;

    private final MemoryLedger ledger;
    private final long intervalNanos;
    private final boolean nmt;
    private Peaks peaks = new Peaks();
    private final List<String> failures = new ArrayList<>();
    private int failureCount;
    private MemorySample peak;
    private MemorySample peakDetailed;
    private MemorySample last;
    private int samples;
    private volatile boolean running;
    private Thread thread;

    /** Samples every 50 ms, without a ledger. */
    public MemorySampler() {
        this(null, DEFAULT_INTERVAL);
    }

    /**
     * @param ledger   the run's ledger, whose figures are kept with each sample (may be null)
     * @param interval time between samples
     */
    public MemorySampler(MemoryLedger ledger, Duration interval) {
        this.ledger = ledger;
        this.intervalNanos = Math.max(1_000_000L, interval.toNanos());
        boolean on = false;
        if (NativeMemory.enabledByFlag()) {
            try {
                on = NativeMemory.read() != null;
            } catch (RuntimeException e) {
                recordFailure("nmt: " + e.getMessage());
            }
        }
        this.nmt = on;
    }

    /** Whether NMT figures are being read. */
    public boolean nmtEnabled() {
        return nmt;
    }

    /** Starts the sampling thread (takes a first sample at once). */
    public synchronized MemorySampler start() {
        if (thread != null) {
            return this;
        }
        running = true;
        thread = new Thread(this::loop, "memory-sampler");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Stops sampling and waits for the thread to end. Safe to call twice. */
    public void stop() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Ends one phase of the run and starts the next: returns the peak RSS seen so far (resident bytes, or
     * -1 if none was seen), forgets every peak, and takes a detailed sample to open the new phase. A run
     * calls it once its dataset is built, so that the reported peaks are the training's own.
     */
    public long resetPeaks() {
        settle();
        long before;
        synchronized (this) {
            before = peaks.rssBytes;
            peak = null;
            peakDetailed = null;
            peaks = new Peaks();
        }
        sampleNow();
        return before;
    }

    /**
     * Lets the process's memory settle between phases: asks glibc to return freed native memory to the
     * OS ({@code System.trim_native_heap}, JDK 21+; a full GC's native work leaves such pages resident),
     * then waits, at most two seconds, until RSS stops falling (G1 uncommits a shrunken heap
     * concurrently). Without it, the set-up phase's leftovers would be counted as the next phase's.
     */
    private static void settle() {
        try {
            javax.management.ObjectName dcmd = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
            java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(dcmd, "systemTrimNativeHeap",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (Exception | LinkageError e) {
            // Not every JVM or libc has it; the wait below still helps.
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long last = Long.MAX_VALUE;
        while (System.nanoTime() < deadline) {
            long now;
            try {
                now = MemorySample.Statm.rssBytes();
            } catch (RuntimeException e) {
                return;
            }
            if (now >= last - (1L << 20)) {
                return; // less than 1 MiB lower than 50 ms ago: settled
            }
            last = now;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** Takes a detailed sample now (for example right after the last step); never throws. */
    public MemorySample sampleNow() {
        return sample(true);
    }

    private void loop() {
        long next = System.nanoTime();
        while (running) {
            try {
                sample(false);
            } catch (Throwable e) { // never let the sampler die or disturb the run
                recordFailure("sampler: " + e);
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    private synchronized MemorySample sample(boolean forceDetailed) {
        MemorySample s;
        try {
            if (forceDetailed) {
                s = MemorySample.take(ledger, nmt, MemorySample.Level.DETAILED);
            } else {
                s = MemorySample.take(ledger, nmt, MemorySample.Level.CHEAP);
                long quick = key(s);
                if (quick > 0 && (peak == null || quick > key(peak))
                        && (peakDetailed == null || quick > key(peakDetailed) * 1.01)) {
                    // A new peak well above the last detailed one: read PSS, NMT and the map now. Smaller
                    // rises keep the cheap sample: reading and parsing NMT at every page of growth would
                    // fill the heap with the probe's own garbage, which is then measured as heap.other.
                    s = MemorySample.take(ledger, nmt, MemorySample.Level.DETAILED);
                }
            }
        } catch (Throwable e) {
            recordFailure("sample: " + e);
            return null;
        }
        samples++;
        last = s;
        s.failures().forEach(this::recordFailure);
        long rss = key(s);
        if (rss >= 0 && (peak == null || rss > key(peak))) {
            peak = s;
        }
        if (s.detailed() && rss >= 0 && (peakDetailed == null || rss > key(peakDetailed))) {
            peakDetailed = s;
        }
        peaks.add(s);
        return s;
    }

    /** Samples are compared by the statm counter, which every sample reads, so cheap and full ones agree. */
    private static long key(MemorySample s) {
        return s.quickRssBytes() >= 0 ? s.quickRssBytes() : s.rssBytes();
    }

    private synchronized void recordFailure(String message) {
        failureCount++;
        if (failures.size() < MAX_FAILURES) {
            failures.add(message);
        }
    }

    public synchronized MemorySample peakSample() {
        return peak;
    }

    public synchronized MemorySample peakDetailedSample() {
        return peakDetailed;
    }

    public synchronized MemorySample lastSample() {
        return last;
    }

    public synchronized int samples() {
        return samples;
    }

    /** A copy of the peaks so far. */
    public synchronized Peaks peaks() {
        return peaks.copy();
    }

    /** The first failures (at most 50); see {@link #failureCount()} for the total. */
    public synchronized List<String> failures() {
        return Collections.unmodifiableList(new ArrayList<>(failures));
    }

    public synchronized int failureCount() {
        return failureCount;
    }

    /** The peak of each figure on its own, over all samples; -1 where never measured. */
    public static final class Peaks {
        public long rssBytes = -1;
        public long pssBytes = -1;
        public long anonymousBytes = -1;
        public long heapUsedBytes = -1;
        public long heapCommittedBytes = -1;
        public long nonHeapCommittedBytes = -1;
        public int liveThreads = -1;
        public int osThreads = -1;
        public long ledgerBytes = -1;
        public long nmtCommittedBytes = -1;
        public long stackCommittedBytes = -1;
        public long stackReservedBytes = -1;

        void add(MemorySample s) {
            rssBytes = Math.max(rssBytes, key(s));
            if (s.resident() != null) {
                rssBytes = Math.max(rssBytes, s.resident().rssBytes());
                pssBytes = max(pssBytes, s.resident().pssBytes());
                anonymousBytes = max(anonymousBytes, s.resident().anonymousBytes());
            }
            if (s.status() != null) {
                if (s.status().threads() != null) {
                    osThreads = Math.max(osThreads, s.status().threads());
                }
            }
            if (s.heap() != null) {
                heapUsedBytes = Math.max(heapUsedBytes, s.heap().heapUsedBytes());
                heapCommittedBytes = Math.max(heapCommittedBytes, s.heap().heapCommittedBytes());
                nonHeapCommittedBytes = Math.max(nonHeapCommittedBytes, s.heap().nonHeapCommittedBytes());
                liveThreads = Math.max(liveThreads, Math.max(s.heap().liveThreads(), s.heap().peakThreads()));
            }
            if (s.ledger() != null) {
                long sum = 0;
                for (long v : s.ledger().values()) {
                    sum += v;
                }
                ledgerBytes = Math.max(ledgerBytes, sum);
            }
            if (s.nmt() != null) {
                nmtCommittedBytes = Math.max(nmtCommittedBytes, s.nmt().totalCommittedBytes());
                stackCommittedBytes = max(stackCommittedBytes, s.nmt().stackCommittedBytes());
                stackReservedBytes = max(stackReservedBytes, s.nmt().stackReservedBytes());
            }
        }

        private static long max(long a, Long b) {
            return b == null ? a : Math.max(a, b);
        }

        Peaks copy() {
            Peaks p = new Peaks();
            p.rssBytes = rssBytes;
            p.pssBytes = pssBytes;
            p.anonymousBytes = anonymousBytes;
            p.heapUsedBytes = heapUsedBytes;
            p.heapCommittedBytes = heapCommittedBytes;
            p.nonHeapCommittedBytes = nonHeapCommittedBytes;
            p.liveThreads = liveThreads;
            p.osThreads = osThreads;
            p.ledgerBytes = ledgerBytes;
            p.nmtCommittedBytes = nmtCommittedBytes;
            p.stackCommittedBytes = stackCommittedBytes;
            p.stackReservedBytes = stackReservedBytes;
            return p;
        }
    }
}
