package org.cllmlab.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.cllmlab.core.results.MemoryReport;
import org.junit.jupiter.api.Test;

class MemorySamplerTest {

    @Test
    void samplesKeepsPeaksAndStops() throws Exception {
        MemoryLedger ledger = new MemoryLedger();
        MemoryReport report;
        try (MemorySampler sampler = new MemorySampler(ledger, Duration.ofMillis(10)).start()) {
            float[] big = ledger.floats(Category.PARAMETERS, 4 << 20); // 16 MiB, touched
            Thread.sleep(120);
            MemorySample now = sampler.sampleNow();
            assertThat(now.detailed()).isTrue();
            assertThat(now.ledger()).containsEntry(Category.PARAMETERS, ArrayFootprint.floats(4 << 20));
            sampler.stop();
            assertThat(sampler.samples()).isGreaterThanOrEqualTo(3);
            assertThat(sampler.failures()).isEmpty();
            MemorySample peak = sampler.peakSample();
            assertThat(peak.rssBytes()).isEqualTo(sampler.peaks().rssBytes);
            assertThat(sampler.peakDetailedSample().rssBytes()).isGreaterThanOrEqualTo(now.rssBytes());
            assertThat(sampler.peaks().ledgerBytes).isEqualTo(ArrayFootprint.floats(4 << 20));
            assertThat(sampler.peaks().heapUsedBytes).isGreaterThanOrEqualTo(16L << 20);
            report = MemoryBreakdown.builder().fromSampler(sampler).build();
            assertThat(big[0]).isZero();
        }
        long sum = report.breakdown().stream().mapToLong(r -> r.bytes()).sum();
        assertThat(sum).isEqualTo(report.peakResidentBytes());
        assertThat(report.ledger()).containsEntry("parameters", ArrayFootprint.floats(4 << 20));
    }

    @Test
    void tickIsCheap() {
        MemorySample.take(null, NativeMemory.enabledByFlag(), MemorySample.Level.CHEAP); // warm up
        long t = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            MemorySample.take(null, NativeMemory.enabledByFlag(), MemorySample.Level.CHEAP);
        }
        long perTickMicros = (System.nanoTime() - t) / 20 / 1000;
        assertThat(perTickMicros).as("µs per cheap sample").isLessThan(10_000);
    }

    @Test
    void closeWithoutStartIsHarmless() {
        MemorySampler s = new MemorySampler();
        s.close();
        assertThat(s.samples()).isZero();
        assertThat(s.peakSample()).isNull();
    }
}
