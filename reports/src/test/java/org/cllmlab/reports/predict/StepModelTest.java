package org.cllmlab.reports.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.cllmlab.reports.predict.Runs.MS;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cllmlab.reports.predict.StepModel.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StepModelTest {

    private static final Map<String, Double> NO_LOCKS = Map.of();

    @Test
    void fullySerial_oneModelLockHeldForTheWholeItem_staysAtOneAtEveryCoreCount() {
        // lock.global: 8 workers, 16 items of 10 ms, the model lock held for all 10 ms of each
        Calibration cal = Runs.calibration("lock.global", 8, 16, 1, 10, Map.of("model", 10.0), 1, 160, 2);
        StepModel m = new StepModel(cal);

        for (int n = 1; n <= StepModel.MAX_CORES; n++) {
            assertThat(m.speedup(n)).as("speedup at %d cores", n).isCloseTo(1.0, within(1e-12));
        }
        assertThat(m.step(64).bottleneck()).isEqualTo("model");
        assertThat(m.step(64).lockBound()).isCloseTo(160 * MS, within(1e-6));
    }

    @ParameterizedTest(name = "{1} cores -> {2}x")
    @CsvSource({"16, 1, 1", "16, 2, 2", "16, 7, 7", "16, 16, 16", "16, 64, 16", "16, 128, 16"})
    void noSerialPart_fewerItemsThanWorkers_reachesMinOfCoresAndItems(int items, int cores, double expected) {
        // 64 workers, 16 items: only 16 workers get one; no lock, nothing on the main thread, no reduction
        Calibration cal = Runs.calibration("lockfree.thread-local", 64, items, 1, 10, NO_LOCKS, 0, items * 10, 0);

        assertThat(new StepModel(cal).speedup(cores)).isCloseTo(expected, within(1e-12));
    }

    @ParameterizedTest(name = "{0} cores -> {1}x")
    @CsvSource({"1, 1", "2, 2", "3, 3", "4, 4", "5, 4", "64, 4"})
    void noSerialPart_moreItemsThanWorkers_reachesMinOfCoresAndWorkers(int cores, double expected) {
        // 4 workers, 32 items: 8 each; on 3 cores the 4 workers share them fairly, 8 items at 3/4 of a core
        Calibration cal = Runs.calibration("lockfree.thread-local", 4, 32, 1, 10, NO_LOCKS, 0, 320, 0);

        assertThat(new StepModel(cal).speedup(cores)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void granularity_32ItemsOn63WorkersAnd64Cores_isAtMost32() {
        Calibration cal = Runs.calibration("lockfree.thread-local", 63, 32, 1, 10, NO_LOCKS, 0, 320, 0);
        StepModel m = new StepModel(cal);

        assertThat(m.speedup(64)).isCloseTo(32, within(1e-12));
        assertThat(m.speedup(128)).isCloseTo(32, within(1e-12));
        assertThat(m.step(64).busyWorkers()).isEqualTo(32);
        // the stack: ideal 64, reached 32, all of the loss idle cores
        StepModel.Stack s = m.stack(64);
        assertThat(s.ideal()).isEqualTo(64);
        assertThat(s.loss(Part.IDLE)).isCloseTo(32, within(1e-9));
        assertThat(s.loss(Part.IMBALANCE) + s.loss(Part.LOCK) + s.loss(Part.SERIAL)).isCloseTo(0, within(1e-9));
    }

    @Test
    void granularity_oneItemMoreOnSomeWorkers_theBusiestWorkerSetsTheStep() {
        // 5 items on 4 workers: worker 0 has two. On 2 cores all four share them until each has done one
        // item (2 × 10 ms), then worker 0's second item runs alone (10 ms): 30 ms, so 50/30.
        Calibration cal = Runs.calibration("lockfree.thread-local", 4, 5, 1, 10, NO_LOCKS, 0, 50, 0);
        StepModel m = new StepModel(cal);

        assertThat(m.step(2).items()).isCloseTo(30 * MS, within(1e-6));
        assertThat(m.speedup(2)).isCloseTo(50.0 / 30, within(1e-12));
        // with a core per worker: two items in a row on worker 0
        assertThat(m.speedup(4)).isCloseTo(50.0 / 20, within(1e-12));
        assertThat(m.stack(4).loss(Part.IMBALANCE)).isGreaterThan(0);
    }

    @Test
    void pipeline_oneLockPerSegment_isBoundedByItsSlowestSegment() {
        // 16 workers, 64 items of 10 ms; segment holds of 1, 2, 3 and 0.5 ms per item
        Map<String, Double> holds = new LinkedHashMap<>();
        holds.put("embeddings", 1.0);
        holds.put("block0", 2.0);
        holds.put("block1", 3.0);
        holds.put("final-norm", 0.5);
        Calibration cal = Runs.calibration("lock.per-layer-inline", 16, 64, 1, 10, holds, 0, 640, 0);
        StepModel m = new StepModel(cal);

        // the slowest segment's 64 holds in a row, plus one item's 7 ms outside it: 199 ms
        double bound = 640.0 / (64 * 3 + 7);
        assertThat(m.step(128).bottleneck()).isEqualTo("block1");
        assertThat(m.speedup(128)).isCloseTo(bound, within(1e-12));
        assertThat(m.speedup(16)).isCloseTo(bound, within(1e-12));
        for (int n = 1; n <= StepModel.MAX_CORES; n++) {
            assertThat(m.speedup(n)).isLessThanOrEqualTo(bound + 1e-12);
        }
        // below the bound, the cores limit it: on 2 cores 320 ms of items against 199 ms of the lock
        assertThat(m.speedup(2)).isCloseTo(2, within(1e-12));
        StepModel.Stack s = m.stack(128);
        assertThat(s.losses()).filteredOn(l -> l.part() == Part.LOCK).singleElement()
                .satisfies(l -> assertThat(l.detail()).isEqualTo("block1"));
    }

    @Test
    void reduction_ownersFollowingTheCores_growsWithThem() {
        // lockfree.core-slots: 8 workers; at 1 core one slot, so nothing is summed, the measured 0.2 ms is fixed.
        // A buffer of 1 M floats is 16 MB of the loop's traffic, 1 ms at 16 GB/s on one thread.
        Calibration base = Runs.calibration("lockfree.core-slots", 8, 16, 1, 10, NO_LOCKS, 1, 160, 2);
        StepModel m = new StepModel(Runs.withReduction(base, 1, true, 8, 1_000_000, 0.2, 16e9, Double.NaN, 1));

        assertThat(m.pricing()).isEqualTo(StepModel.Pricing.NONE);
        assertThat(m.step(1).summedBuffers()).isZero();
        // N cores: min(N, 8) slots, all but the engine's summed, on min(8 parts, 8 workers, N) threads
        assertThat(m.step(2).summedBuffers()).isEqualTo(1);
        assertThat(m.step(2).reduction()).isCloseTo((0.2 + 1.0 / 2) * MS, within(1e-3));
        assertThat(m.step(4).summedBuffers()).isEqualTo(3);
        assertThat(m.step(4).reduction()).isCloseTo((0.2 + 3.0 / 4) * MS, within(1e-3));
        assertThat(m.step(8).reduction()).isCloseTo((0.2 + 7.0 / 8) * MS, within(1e-3));
        assertThat(m.step(64).reduction()).isCloseTo((0.2 + 7.0 / 8) * MS, within(1e-3));
        assertThat(m.step(2).reductionBytes()).isLessThan(m.step(4).reductionBytes());
        assertThat(m.step(4).reductionBytes()).isLessThan(m.step(8).reductionBytes());
        assertThat(m.step(8).reductionBytes()).isEqualTo(7 * 16e6);
    }

    /**
     * lockfree.thread-local with 8 workers on one core: 7 buffers of 1 M floats summed, 112 MB of the loop's
     * traffic, 7 ms at the 16 GB/s one thread moved; two threads moved 24 GB/s (12 each).
     */
    private static StepModel eightBuffers(double reductionMs) {
        Calibration base = Runs.calibration("lockfree.thread-local", 8, 16, 1, 10, NO_LOCKS, 1, 160, 2);
        return new StepModel(Runs.withReduction(base, 8, false, 8, 1_000_000, reductionMs, 16e9, 24e9, 2));
    }

    @Test
    void reduction_fixedOwners_pricedAtTheMeasuredBandwidthOnMoreThreads() {
        // measured 7.5 ms, so 0.5 ms is fixed; each thread beyond two keeps 12 GB/s
        StepModel m = eightBuffers(7.5);

        assertThat(m.pricing()).isEqualTo(StepModel.Pricing.BANDWIDTH);
        assertThat(m.step(1).reduction()).isCloseTo(7.5 * MS, within(1e-3));
        assertThat(m.step(2).reduction()).isCloseTo((0.5 + 112e6 / 24e9 * 1e3) * MS, within(1e-3));
        assertThat(m.step(4).reduction()).isCloseTo((0.5 + 112e6 / 48e9 * 1e3) * MS, within(1e-3));
        assertThat(m.step(4).reductionThreads()).isEqualTo(4);
    }

    @Test
    void reduction_fasterThanTheBandwidth_pricedAtTheCalibrationsOwnRate() {
        // measured 3.5 ms for the 7 ms the bandwidth says: the buffers sat in a cache
        StepModel m = eightBuffers(3.5);

        assertThat(m.pricing()).isEqualTo(StepModel.Pricing.CALIBRATION);
        assertThat(m.step(1).reduction()).isCloseTo(3.5 * MS, within(1e-3));
        assertThat(m.step(4).reduction()).isCloseTo(112e6 / 48e9 * 1e3 / 2 * MS, within(1e-3));
    }

    @Test
    void serialAndBarrier_stayConstant_andTheCalibrationIsReproduced() {
        // 2 workers, 16 items of 10 ms; 1 ms prepare, 2 ms update; the compute phase took 163 ms, 3 ms more
        // than its items: the barrier and wake-ups, kept constant
        Calibration cal = Runs.calibration("lockfree.thread-local", 2, 16, 1, 10, NO_LOCKS, 1, 163, 2);
        StepModel m = new StepModel(cal);

        assertThat(m.step(1).total()).isCloseTo(cal.stepNanos(), within(1e-6));
        assertThat(m.calibrationError()).isCloseTo(0, within(1e-12));
        assertThat(m.step(2).barrier()).isCloseTo(3 * MS, within(1e-6));
        assertThat(m.speedup(2)).isCloseTo(166.0 / (1 + 80 + 3 + 2), within(1e-12));
    }

    @Test
    void calibration_computePhaseShorterThanItsItems_isReportedAsTheModelsError() {
        Calibration cal = Runs.calibration("lockfree.thread-local", 2, 16, 1, 10, NO_LOCKS, 0, 150, 0);

        assertThat(new StepModel(cal).calibrationError()).isCloseTo(160.0 / 150 - 1, within(1e-12));
    }

    @Test
    void stack_lossesAddUpToIdealLessSpeedup_andNoneIsNegative() {
        Map<String, Double> holds = new LinkedHashMap<>();
        holds.put("embeddings", 0.8);
        holds.put("block0", 1.5);
        Calibration base = Runs.calibration("lock.per-layer", 6, 16, 1, 10, holds, 1.5, 164, 2.5);
        StepModel m = new StepModel(Runs.withReduction(base, 6, false, 4, 500_000, 3, 16e9, 20e9, 2));

        for (int n = 1; n <= StepModel.MAX_CORES; n++) {
            StepModel.Stack s = m.stack(n);
            double sum = s.losses().stream().mapToDouble(StepModel.Loss::speedup).sum();
            assertThat(s.speedup() + sum).as("speedup + losses at %d cores", n).isCloseTo(s.ideal(), within(1e-9));
            assertThat(s.losses()).allSatisfy(l -> assertThat(l.speedup()).as("%s at %d", l.part(), s.cores())
                    .isGreaterThanOrEqualTo(-1e-9));
        }
        assertThat(m.stack(1).losses()).allSatisfy(l -> assertThat(l.speedup()).isCloseTo(0, within(1e-12)));
    }

    @Test
    void stack_belowTheCalibrationsCores_isRefused() {
        Calibration cal = Runs.calibration("lockfree.thread-local", 2, 16, 2, 10, NO_LOCKS, 0, 80, 0);

        assertThatThrownBy(() -> new StepModel(cal).stack(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("calibration's 2");
        // a speedup below them is fine: half as fast on one core
        assertThat(new StepModel(cal).speedup(1)).isCloseTo(0.5, within(1e-12));
    }
}
