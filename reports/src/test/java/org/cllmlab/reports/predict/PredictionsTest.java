package org.cllmlab.reports.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.cllmlab.core.results.RunResult;
import org.junit.jupiter.api.Test;

class PredictionsTest {

    /** lockfree.thread-local, 2 workers, 16 items: two repetitions on one core, two on two. */
    private static List<RunResult> sweep(String host, double oneCore, double twoCores) {
        List<RunResult> runs = new ArrayList<>();
        runs.add(new Runs().id(host + "-c1-r1").host(host).cores(1).wallOverCpu(2).cpuMs(10).tokensPerSecond(oneCore * 0.99).build());
        runs.add(new Runs().id(host + "-c1-r2").host(host).cores(1).wallOverCpu(2).cpuMs(10.4).tokensPerSecond(oneCore * 1.01).build());
        runs.add(new Runs().id(host + "-c2-r1").host(host).cores(2).cpuMs(10).phasesMs(1, 80, 0.3, 2).tokensPerSecond(twoCores * 0.98).build());
        runs.add(new Runs().id(host + "-c2-r2").host(host).cores(2).cpuMs(10).phasesMs(1, 81, 0.3, 2).tokensPerSecond(twoCores * 1.02).build());
        return runs;
    }

    @Test
    void of_oneCoreCalibrationAndTwoCoresMeasured_putsThePredictionBesideTheMeasuredSpeedup() {
        List<Predictions.Series> all = Predictions.of(sweep("lab-1", 6000, 11100));

        assertThat(all).hasSize(1);
        Predictions.Series s = all.get(0);
        assertThat(s.key().strategy()).isEqualTo("lockfree.thread-local");
        assertThat(s.key().items()).isEqualTo(16);
        assertThat(s.calibrationCores()).isEqualTo(1);
        assertThat(s.calibrationRuns()).containsExactly("lab-1-c1-r1", "lab-1-c1-r2");
        assertThat(s.noModel()).isNull();
        assertThat(s.measuredCores()).containsExactly(1, 2);

        Predictions.Entry two = s.at(2);
        assertThat(two.cores()).isEqualTo(2);
        assertThat(two.predicted()).isCloseTo(s.model().speedup(2), within(1e-12));
        assertThat(two.measured()).isCloseTo(11100.0 / 6000, within(1e-9));
        assertThat(two.error()).isCloseTo(two.predicted() / two.measured() - 1, within(1e-12));
        assertThat(two.runs()).isEqualTo(2);
        // two repetitions on either side: intervals on both
        assertThat(two.measuredLow()).isLessThan(two.measured());
        assertThat(two.measuredHigh()).isGreaterThan(two.measured());
        assertThat(two.predictedLow()).isLessThan(two.predicted());
        assertThat(two.predictedHigh()).isGreaterThan(two.predicted());
        assertThat(s.validation()).containsExactly(two);

        Predictions.Entry one = s.at(1);
        assertThat(one.calibration()).isTrue();
        assertThat(one.predicted()).isCloseTo(1, within(1e-12));
        assertThat(one.measured()).isCloseTo(1, within(1e-12));
        assertThat(one.error()).isNull();
        assertThat(s.at(3).measured()).isNull();
        assertThat(s.at(3).error()).isNull();
        assertThat(s.curve()).hasSize(StepModel.MAX_CORES);
    }

    @Test
    void of_figuresBeyondTwiceTheLargestMeasuredCores_areMarkedExtrapolations() {
        Predictions.Series s = Predictions.of(sweep("lab-1", 6000, 11100)).get(0);

        assertThat(s.curve()).filteredOn(Predictions.Entry::extrapolation).extracting(Predictions.Entry::cores)
                .first().isEqualTo(5);
        assertThat(s.at(4).extrapolation()).isFalse();
        assertThat(s.at(128).extrapolation()).isTrue();
    }

    @Test
    void of_twoCoreCounts_showNoUslFitAndSayWhy() {
        Predictions.Series s = Predictions.of(sweep("lab-1", 6000, 11100)).get(0);

        assertThat(s.usl()).isNull();
        assertThat(s.noUsl()).startsWith("4 runs at 2 core counts");
        assertThat(s.at(2).usl()).isNaN();
    }

    @Test
    void of_twoMachines_areNeverMixed() {
        List<RunResult> runs = new ArrayList<>(sweep("lab-1", 6000, 11100));
        runs.addAll(sweep("lab-2", 3000, 3300));
        List<Predictions.Series> all = Predictions.of(runs);

        assertThat(all).extracting(s -> s.key().machine()).containsExactly("lab-1 (AMD EPYC, 2 cores)",
                "lab-2 (AMD EPYC, 2 cores)");
        assertThat(all.get(0).at(2).measured()).isCloseTo(11100.0 / 6000, within(1e-9));
        assertThat(all.get(1).at(2).measured()).isCloseTo(3300.0 / 3000, within(1e-9));
        assertThat(all.get(1).calibrationRuns()).allSatisfy(id -> assertThat(id).startsWith("lab-2"));
    }

    @Test
    void of_failedRuns_areNoMeasurement() {
        List<RunResult> runs = new ArrayList<>(sweep("lab-1", 6000, 11100));
        runs.add(new Runs().id("lab-1-c2-r3").cores(2).failed().build());

        assertThat(Predictions.of(runs).get(0).at(2).runs()).isEqualTo(2);
    }

    @Test
    void of_aSingleColdStep_isNoThroughputMeasurement() {
        List<RunResult> runs = new ArrayList<>(sweep("lab-1", 6000, 11100));
        runs.add(new Runs().id("lab-1-c1-cold").cores(1).coldStep().tokensPerSecond(600).build());

        Predictions.Series s = Predictions.of(runs).get(0);
        assertThat(s.calibrationRuns()).noneMatch(id -> id.contains("cold"));
        assertThat(s.at(1).runs()).isEqualTo(2);
    }

    @Test
    void of_noRunCalibrates_keepsTheMeasuredSpeedupsAndSaysWhy() {
        List<RunResult> runs = List.of(
                new Runs().id("c1").workers(4).owners(4, false).cores(1).noCpuTime().tokensPerSecond(5000).build(),
                new Runs().id("c2").workers(4).owners(4, false).cores(2).noCpuTime().tokensPerSecond(9000).build());
        Predictions.Series s = Predictions.of(runs).get(0);

        assertThat(s.model()).isNull();
        assertThat(s.noModel()).startsWith("no run calibrates a step model: its workers' CPU time was not recorded");
        assertThat(s.refused()).hasSize(2).allSatisfy(r -> assertThat(r).contains(": its workers' CPU time"));
        assertThat(s.at(2).predicted()).isNaN();
        assertThat(s.at(2).measured()).isCloseTo(1.8, within(1e-9));
        assertThat(s.at(2).error()).isNull();
    }

    @Test
    void of_fewestCoresRefused_calibratesAtTheNextCount() {
        // on one core 2 workers without CPU time shared the core; on two each had one
        List<RunResult> runs = List.of(
                new Runs().id("c1").cores(1).noCpuTime().tokensPerSecond(5000).build(),
                new Runs().id("c2").cores(2).noCpuTime().phasesMs(1, 80, 0.3, 2).tokensPerSecond(9000).build());
        Predictions.Series s = Predictions.of(runs).get(0);

        assertThat(s.calibrationCores()).isEqualTo(2);
        assertThat(s.calibrationRuns()).containsExactly("c2");
        assertThat(s.refused()).singleElement().satisfies(r -> assertThat(r).startsWith("c1: "));
        assertThat(s.at(1).measured()).isCloseTo(5000.0 / 9000, within(1e-9));
        assertThat(s.at(1).error()).isNotNull();
        assertThat(s.at(2).calibration()).isTrue();
    }

    @Test
    void of_enoughCoreCounts_fitsTheUslWithABand_heldFlatBeyondTheBusiestWorkers() {
        double sigma = 0.04, kappa = 0.0005;
        List<RunResult> runs = new ArrayList<>();
        for (int n : new int[] {1, 2, 4, 8, 16, 32}) {
            for (int rep = 1; rep <= 2; rep++) {
                double noise = rep == 1 ? 0.99 : 1.01;
                runs.add(new Runs().id("c" + n + "-r" + rep).machineCores(64).workers(32).items(32).owners(32, false)
                        .cores(n).tokensPerSecond(1000 * Usl.capacity(sigma, kappa, n) * noise).build());
            }
        }
        Predictions.Series s = Predictions.of(runs).get(0);

        assertThat(s.noUsl()).isNull();
        assertThat(s.usl().points()).isEqualTo(12);
        assertThat(sigma).isBetween(s.usl().sigmaLow(), s.usl().sigmaHigh());
        Predictions.Entry at16 = s.at(16);
        assertThat(Usl.capacity(sigma, kappa, 16)).isBetween(at16.uslLow(), at16.uslHigh());
        // 32 workers: beyond 32 cores, no more of them are busy
        assertThat(s.at(128).usl()).isCloseTo(s.at(32).usl(), within(1e-12));
        assertThat(s.at(64).extrapolation()).isFalse();
        assertThat(s.at(65).extrapolation()).isTrue();
    }

    @Test
    void of_runsAboveTheBusiestWorkers_areLeftOutOfTheFitAndSaidSo() {
        List<RunResult> runs = new ArrayList<>();
        for (int n : new int[] {1, 2, 4, 8, 16, 32}) {
            runs.add(new Runs().id("c" + n).machineCores(64).workers(4).owners(4, false).cores(n)
                    .tokensPerSecond(1000 * Math.min(n, 4)).build());
        }
        Predictions.Series s = Predictions.of(runs).get(0);

        assertThat(s.usl()).isNull();
        assertThat(s.noUsl()).isEqualTo("3 runs at 3 core counts: a fit of the USL's three parameters needs at least 6"
                + " runs at 4 or more core counts (3 runs above 4 cores left out: no more than 4 workers are busy at once)");
    }
}
