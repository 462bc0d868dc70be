package org.cllmlab.reports.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.cllmlab.reports.predict.Runs.MS;

import java.util.List;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.model.ParameterLayout;
import org.cllmlab.core.results.MachineFigures;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void from_oneCoreTwoWorkers_takesComputeFromCpuTimeNotWallTime() {
        // the two workers took turns on the one core: each one's wall time inside process() is twice its CPU time
        Calibration c = Calibration.from(new Runs().workers(2).items(16).cores(1).cpuMs(10).wallOverCpu(2).build())
                .orElseThrow();

        assertThat(c.cpuSource()).isEqualTo(Calibration.CpuSource.CPU_TIME);
        assertThat(c.cpuPerItem()).isCloseTo(10 * MS, within(1.0));
        assertThat(c.items()).isEqualTo(16);
        assertThat(c.cores()).isEqualTo(1);
        assertThat(c.holdScale()).isCloseTo(0.5, within(1e-9));
        assertThat(c.prepare()).isCloseTo(1 * MS, within(1.0));
        assertThat(c.update()).isCloseTo(2 * MS, within(1.0));
        assertThat(c.compute()).isCloseTo(160 * MS, within(1.0));
    }

    @Test
    void from_holdsOfADescheduledHolder_areScaledToCpuTime() {
        // lock.per-layer on one core with two workers: 1 ms and 2 ms of wall time held per item, while the
        // workers ran half of their non-waiting time
        Calibration c = Calibration.from(new Runs().strategy("lock.per-layer").owners(0, false).wallOverCpu(2)
                .hold("embeddings", 1).hold("block0", 2).build()).orElseThrow();

        assertThat(c.locks()).extracting(Calibration.LockHold::name).containsExactly("embeddings", "block0");
        assertThat(c.locks().get(0).perItem()).isCloseTo(0.5 * MS, within(1.0));
        assertThat(c.locks().get(1).perItem()).isCloseTo(1.0 * MS, within(1.0));
    }

    @Test
    void from_holdsLongerThanTheItem_areCappedAtItsCpuTime() {
        // lock.global: the model lock's wall hold (10.5 ms) is a little more than the item's CPU time (10 ms)
        Calibration c = Calibration.from(new Runs().strategy("lock.global").owners(0, false).hold("model", 10.5).build())
                .orElseThrow();

        assertThat(c.locks().get(0).perItem()).isCloseTo(10 * MS, within(1.0));
    }

    @Test
    void from_noCpuTimeAndWorkersSharingACore_isRefusedWithTheReason() {
        var a = Calibration.from(new Runs().workers(4).cores(1).noCpuTime().build());

        assertThat(a.ok()).isFalse();
        assertThat(a.refusal()).contains("CPU time was not recorded").contains("4 platform-1m workers shared 1 core")
                .contains("waiting for a CPU");
    }

    @Test
    void from_noCpuTimeButACorePerWorker_usesWallTimeLessLockWaits() {
        Calibration c = Calibration.from(new Runs().workers(2).cores(2).noCpuTime().cpuMs(10).waitMs(3).build())
                .orElseThrow();

        assertThat(c.cpuSource()).isEqualTo(Calibration.CpuSource.BUSY_LESS_WAITS);
        assertThat(c.cpuPerItem()).isCloseTo(10 * MS, within(1.0));
    }

    @Test
    void from_virtualThreadsOnOneCore_useWallTimeLessLockWaits() {
        // virtual threads are not time-sliced: one keeps its carrier until it blocks
        Calibration c = Calibration.from(new Runs().threads("virtual").workers(8).cores(1).noCpuTime().build())
                .orElseThrow();

        assertThat(c.cpuSource()).isEqualTo(Calibration.CpuSource.BUSY_LESS_WAITS);
    }

    @Test
    void from_failedOrOldRuns_areRefused() {
        assertThat(Calibration.from(new Runs().failed().build()).refusal()).isEqualTo("the run failed");
        assertThat(Calibration.from(new Runs().noPhases().build()).refusal()).contains("no phase figures");
    }

    @Test
    void from_buffersToSumButNoBandwidth_isRefused() {
        var a = Calibration.from(new Runs().workers(4).owners(4, false).machine(null).build());

        assertThat(a.refusal()).contains("up to 4 gradient buffers").contains("bandwidth was not measured");
        // a strategy that sums nothing needs no bandwidth
        assertThat(Calibration.from(new Runs().strategy("lock.global").owners(0, false).machine(null).build()).ok())
                .isTrue();
        // one buffer per core sums nothing on one core, but would on more: that needs the bandwidth
        assertThat(Calibration.from(new Runs().workers(4).owners(1, true).machine(
                new MachineFigures(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0)).build()).ok()).isFalse();
    }

    @Test
    void from_parameters_comeFromTheRunsShape() {
        Calibration c = Calibration.from(new Runs().build()).orElseThrow();

        assertThat(c.parameters()).isEqualTo(new ParameterLayout(new ModelConfig(128, 4, 4, 512, 64, 16, 812)).size());
    }

    @Test
    void mean_ofRepetitions_averagesTimesAndKeepsTheDiscreteFigures() {
        Calibration a = Calibration.from(new Runs().id("r1").cpuMs(10).hold("model", 4).build()).orElseThrow();
        Calibration b = Calibration.from(new Runs().id("r2").cpuMs(12).hold("model", 6).build()).orElseThrow();
        Calibration m = Calibration.mean(List.of(a, b));

        assertThat(m.runId()).isEqualTo("r1, r2");
        assertThat(m.cpuPerItem()).isCloseTo(11 * MS, within(1.0));
        assertThat(m.locks().get(0).perItem()).isCloseTo(5 * MS, within(1.0));
        assertThat(m.workers()).isEqualTo(2);
        Calibration other = Calibration.from(new Runs().id("r3").workers(4).owners(4, false).build()).orElseThrow();
        assertThatThrownBy(() -> Calibration.mean(List.of(a, other))).hasMessageContaining("r3 differs from r1");
    }
}
