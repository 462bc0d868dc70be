package org.cllmlab.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.cllmlab.core.results.Results;
import org.cllmlab.core.results.RunConfig;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.core.results.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatisticsTest {

    @Test
    void summary_threeValues_matchesHandComputedMeanSdAndStudentInterval() {
        Summary s = Summary.of(10, 12, 14);
        // mean 12, sd 2, t(0.975, 2) = 4.302653, half-width = 4.302653 * 2 / sqrt(3) = 4.968275
        assertThat(s.n()).isEqualTo(3);
        assertThat(s.mean()).isEqualTo(12.0);
        assertThat(s.sd()).isCloseTo(2.0, within(1e-12));
        assertThat(s.ciLow()).isCloseTo(12 - 4.968275, within(1e-5));
        assertThat(s.ciHigh()).isCloseTo(12 + 4.968275, within(1e-5));
    }

    @Test
    void summary_oneValue_hasNoIntervalAndPrintsNEquals1() {
        Summary s = Summary.of(5.0);
        assertThat(s.hasInterval()).isFalse();
        assertThat(s.sd()).isNaN();
        assertThat(Fmt.meanCi(s, 1, 1)).isEqualTo("5.0 (n=1)");
        assertThat(Fmt.ci(s, 1, 1)).isEqualTo("n=1");
    }

    @Test
    void summary_nothing_isEmptyAndPrintsNa() {
        assertThat(Summary.of(Double.NaN).n()).isZero();
        assertThat(Fmt.meanCi(Summary.of(), 1, 1)).isEqualTo("n/a");
    }

    @Test
    void amdahl_knownSerialShare_matchesFormula() {
        assertThat(Scalability.amdahl(0.1, 64)).isCloseTo(1 / (0.1 + 0.9 / 64), within(1e-12));
        assertThat(Scalability.amdahl(0, 64)).isCloseTo(64, within(1e-12));
        assertThat(Scalability.amdahl(1, 64)).isCloseTo(1, within(1e-12));
    }

    @Test
    void karpFlatt_speedupFromAmdahl_recoversSerialFraction() {
        double s = Scalability.amdahl(0.2, 4);
        assertThat(Scalability.karpFlatt(s, 4)).isCloseTo(0.2, within(1e-12));
        // hand value: S = 1.6 at N = 2 -> (1/1.6 - 1/2) / (1 - 1/2) = 0.25
        assertThat(Scalability.karpFlatt(1.6, 2)).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void uslFit_syntheticPoints_recoversAlphaAndBeta() {
        double alpha = 0.05, beta = 0.002;
        double[] n = {1, 2, 4, 8, 16, 32};
        double[] c = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            c[i] = Scalability.usl(alpha, beta, n[i]);
        }
        Scalability.UslFit fit = Scalability.fitUsl(n, c);

        assertThat(fit).isNotNull();
        assertThat(fit.alpha()).isCloseTo(alpha, within(1e-6));
        assertThat(fit.beta()).isCloseTo(beta, within(1e-7));
    }

    @Test
    void uslFit_twoWorkerCounts_refusesToFit() {
        assertThat(Scalability.fitUsl(new double[] {1, 2, 2}, new double[] {1, 1.8, 1.9})).isNull();
    }

    @Test
    void scalingSweepOnSixteenCores_fitsUslToAllPointsAndRecoversCoefficients(@TempDir Path dir) throws IOException {
        double alpha = 0.04, beta = 0.001;
        for (int w : new int[] {1, 2, 4, 8}) {
            RunConfig cfg = Fixtures.config("scaling", Fixtures.SMALL, "lock.per-layer", "platform-1m", "lazy", "right-sized", w, 1);
            Training tr = Fixtures.training(1000 * Scalability.usl(alpha, beta, w), 1);
            Results.write(dir.resolve("w" + w + ".json"), new RunResult(RunResult.SCHEMA, "w" + w, "scaling", RunResult.OK,
                    null, cfg, Fixtures.provenance(w, 1, 16), tr,
                    Fixtures.memory(Fixtures.SMALL, 1, 0, 20_000, 2, 4, w, 1), Fixtures.contention(w, tr.wallSeconds(), 0.1, "lock.per-layer"), null));
        }
        ReportModel.ScalingSeries s = ReportGenerator.model(dir).scaling().get(0);

        // A sweep of workers is shown as measured; no curve is fitted to it here (the step model and its USL,
        // which needs 6 runs at 4 core counts, make the predictions).
        assertThat(s.fit()).isEqualTo("none");
        assertThat(s.points()).extracting(ReportModel.ScalingPoint::workers).containsExactly(1, 2, 4, 8);
        assertThat(s.points().get(3).speedup()).isCloseTo(Scalability.usl(alpha, beta, 8), within(1e-6));
    }

    @Test
    void sweepOfPinnedCpus_isPlottedAgainstCpus_withTheOneCpuRunAsReference(@TempDir Path dir) throws IOException {
        // the scaling suite's shape: the same two workers pinned to 2 CPUs and to 1; the 2-CPU run sorts first by name
        for (int cpus : new int[] {2, 1}) {
            RunConfig cfg = Fixtures.pinned(Fixtures.config("scaling", Fixtures.SMALL, "lock.per-layer", "platform-1m",
                    "lazy", "right-sized", 2, 1), cpus);
            Training tr = Fixtures.training(cpus == 1 ? 1000 : 1900, 1);
            Results.write(dir.resolve("c" + cpus + ".json"), new RunResult(RunResult.SCHEMA, "c" + cpus, "scaling",
                    RunResult.OK, null, cfg, Fixtures.provenance(2, 1, 2), tr,
                    Fixtures.memory(Fixtures.SMALL, 1, 0, 20_000, 2, 4, 2, 1),
                    Fixtures.contention(2, tr.wallSeconds(), 0.1, "lock.per-layer"), null));
        }
        ReportModel.ScalingSeries s = ReportGenerator.model(dir).scaling().get(0);

        assertThat(s.overCpus()).isTrue();
        assertThat(s.points()).extracting(ReportModel.ScalingPoint::cpus).containsExactly(1, 2);
        assertThat(s.referenceName()).isEqualTo("2 workers on 1 CPU");
        assertThat(s.points().get(1).speedup()).isCloseTo(1.9, within(1e-9));
        assertThat(s.ideal(s.points().get(1))).isEqualTo(2.0);
        assertThat(s.x(s.points().get(1))).isEqualTo(2);
        assertThat(Tables.scaling(s).rows()).extracting(r -> r.get(1)).containsExactly("1 (pinned)", "2 (pinned)");
    }

    @Test
    void singleColdSteps_areMemoryMeasurements_notThroughput(@TempDir Path dir) throws IOException {
        for (boolean cold : new boolean[] {true, false}) {
            RunConfig cfg = Fixtures.config("scaling", Fixtures.SMALL, "lock.global", "platform-1m", "lazy", "right-sized",
                    2, 1);
            Training tr = Fixtures.training(1000, 1);
            String id = cold ? "cold" : "warm";
            Results.write(dir.resolve(id + ".json"), new RunResult(RunResult.SCHEMA, id, "scaling", RunResult.OK, null,
                    cold ? Fixtures.coldStep(cfg) : cfg, Fixtures.provenance(2, 1, 2), tr,
                    Fixtures.memory(Fixtures.SMALL, 1, 0, 20_000, 2, 4, 2, 1),
                    Fixtures.contention(2, tr.wallSeconds(), 0.1, "lock.global"), null));
        }
        List<ReportModel.Group> groups = ReportGenerator.model(dir).groups();

        assertThat(groups).extracting(g -> g.key().steps() + ":" + g.measuresThroughput())
                .containsExactlyInAnyOrder("1:false", "20:true");
        // wherever its tokens/s is printed, a cold step says so
        java.io.StringWriter console = new java.io.StringWriter();
        ConsoleSummary.print(ReportGenerator.model(dir), new java.io.PrintWriter(console));
        assertThat(console.toString().lines().filter(l -> l.contains(Tables.COLD))).hasSize(1);
        assertThat(console.toString()).contains(Tables.COLD_NOTE);
    }

    @Test
    void aFolderOfSingleColdStepsOnly_stillRenders(@TempDir Path dir) throws IOException {
        RunConfig cfg = Fixtures.coldStep(Fixtures.config("mine", Fixtures.SMALL, "lock.global", "platform-1m", "lazy",
                "right-sized", 2, 1));
        Training tr = Fixtures.training(1000, 1);
        Results.write(dir.resolve("cold.json"), new RunResult(RunResult.SCHEMA, "cold", "mine", RunResult.OK, null, cfg,
                Fixtures.provenance(2, 1, 2), tr, Fixtures.memory(Fixtures.SMALL, 1, 0, 20_000, 2, 4, 2, 1),
                Fixtures.contention(2, tr.wallSeconds(), 0.1, "lock.global"), null));

        List<Path> written = ReportGenerator.generate(dir);

        assertThat(written).extracting(f -> f.getFileName().toString()).contains("report.html", "report.md");
        assertThat(dir.resolve("report.html")).content().contains("a single cold step");
    }

    @Test
    void fixtureScaling_twoCores_measuredOnly_noFitToTwoPoints() {
        ReportModel m = ReportGenerator.model(Fixtures.DIR);

        assertThat(m.scaling()).extracting(ReportModel.ScalingSeries::strategy)
                .containsExactly("lock.global", "lock.per-layer", "lockfree.thread-local");
        assertThat(m.scaling()).allSatisfy(s -> {
            assertThat(s.fit()).as("no fit to two core counts").isEqualTo("none");
            assertThat(s.fittedAt64()).isNaN();
            assertThat(s.cores()).isEqualTo(2);
            assertThat(s.points()).extracting(ReportModel.ScalingPoint::workers).containsExactly(1, 2, 4, 8);
        });
        var lockFree = m.scaling().get(2);
        assertThat(lockFree.points().get(1).speedup()).isCloseTo(1.93, within(1e-9));
    }
}
