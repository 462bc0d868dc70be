package org.cllmlab.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapProbeTest {

    @Test
    void heapAndThreads() {
        HeapProbe.Snapshot s = HeapProbe.sample();
        assertThat(s.heapUsedBytes()).isPositive();
        assertThat(s.heapCommittedBytes()).isGreaterThanOrEqualTo(s.heapUsedBytes() / 2);
        assertThat(s.nonHeapCommittedBytes()).isPositive();
        assertThat(s.poolUsedBytes()).isNotEmpty();
        assertThat(s.liveThreads()).isPositive().isLessThanOrEqualTo(s.peakThreads());
        assertThat(s.daemonThreads()).isLessThanOrEqualTo(s.liveThreads());
    }

    @Test
    void virtualThreadsAreNotCounted() throws Exception {
        int before = HeapProbe.sample().liveThreads();
        var latch = new java.util.concurrent.CountDownLatch(1);
        var started = new java.util.concurrent.CountDownLatch(20);
        var threads = new java.util.ArrayList<Thread>();
        for (int i = 0; i < 20; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                started.countDown();
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        started.await();
        // only carrier threads (at most one per core here) can appear, never 20
        assertThat(HeapProbe.sample().liveThreads()).isLessThan(before + 20);
        latch.countDown();
        for (Thread t : threads) {
            t.join();
        }
    }
}
