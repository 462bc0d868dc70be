package org.cllmlab.reports;

import static org.assertj.core.api.Assertions.assertThat;

import org.cllmlab.reports.ReportModel.Outcome;
import org.junit.jupiter.api.Test;

class VerdictsTest {

    static final double MIB = 1024 * 1024;
    static final Verdicts.Shape SEED = new Verdicts.Shape("seed", 63);
    static final Verdicts.Shape SMALL = new Verdicts.Shape("small", 63);
    static final Estimate NONE = Estimate.NONE;

    /** A figure known to within ±{@code half}. */
    static Estimate e(double value, double half) {
        return new Estimate(value, value - half, value + half, 3, "test");
    }

    static Estimate exact(double v) {
        return Estimate.exact(v);
    }

    // ------------------------------------------------------------------ phase 1

    @Test
    void phase1_residentFallsByThirdWithoutSlowdown_held() {
        var v = Verdicts.phase1(exact(455 * MIB), e(450 * MIB, 5 * MIB), e(34, 1), e(0.99, 0.01));
        assertThat(v.outcome()).isEqualTo(Outcome.HELD);
    }

    @Test
    void phase1_onlyReservedStacksFall_partlyHeldAndSaysReserved() {
        var v = Verdicts.phase1(exact(455 * MIB), e(3 * MIB, MIB), e(0.8, 0.3), e(0.99, 0.02));
        assertThat(v.outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(v.why()).contains("reserved");
    }

    @Test
    void phase1_residentFallsButThroughputDrops_partlyHeld() {
        assertThat(Verdicts.phase1(exact(455 * MIB), e(450 * MIB, 5 * MIB), e(34, 1), e(0.80, 0.02)).outcome())
                .isEqualTo(Outcome.PARTLY_HELD);
    }

    @Test
    void phase1_throughputIntervalStraddlesTheNoImpactBand_inconclusiveAndPrintsTheInterval() {
        // An 8% drop with ±12%: the interval reaches into ±5% and out of it, so it cannot decide.
        var v = Verdicts.phase1(exact(455 * MIB), e(3 * MIB, MIB), e(0.8, 0.3), e(0.92, 0.12));
        assertThat(v.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(v.why()).contains("95% interval").contains("[0.800, 1.040]");
        // The same drop measured tightly is an effect: partly held no longer, did not hold.
        assertThat(Verdicts.phase1(exact(455 * MIB), e(3 * MIB, MIB), e(0.8, 0.3), e(0.92, 0.01)).outcome())
                .isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void phase1_singleRuns_haveNoInterval_inconclusive() {
        Estimate single = new Estimate(0.92, Double.NaN, Double.NaN, 1, "ratio of single runs");
        var v = Verdicts.phase1(exact(455 * MIB), e(3 * MIB, MIB), e(0.8, 0.3), single);
        assertThat(v.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(v.measured()).contains("a single run").contains("resident −3.0 MiB");
    }

    @Test
    void phase1_nothingFalls_didNotHold() {
        assertThat(Verdicts.phase1(exact(0), e(0, 0.1 * MIB), e(0, 0.1), e(0.7, 0.02)).outcome())
                .isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void phase1_noRuns_notMeasured() {
        assertThat(Verdicts.phase1(NONE, NONE, NONE, NONE).outcome()).isEqualTo(Outcome.NOT_MEASURED);
    }

    // ------------------------------------------------------------------ phases 2 and 3

    @Test
    void phase2_residentGrew_saysPlusNotMinusMinus() {
        var v = Verdicts.phase2(exact(2 * MIB), e(-11.8 * MIB, MIB));
        assertThat(v.measured()).contains("resident +11.8 MiB").doesNotContain("−-");
    }

    @Test
    void phase2_hundredsOfMegabytes_held_fewMegabytes_partly_kilobytes_didNotHold() {
        assertThat(Verdicts.phase2(exact(380 * MIB), e(300 * MIB, 5 * MIB)).outcome()).isEqualTo(Outcome.HELD);
        assertThat(Verdicts.phase2(exact(4.5 * MIB), e(3 * MIB, MIB)).outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(Verdicts.phase2(exact(200_000), e(100_000, 50_000)).outcome()).isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void phase2_fewMegabyteClaim_isDecidedOnTheExactHierarchyBytes_evenWhenResidentNoiseStraddlesIt() {
        // Resident memory cannot resolve 2 MB here, the exact figure can.
        assertThat(Verdicts.phase2(exact(200_000), e(2 * MIB, 25 * MIB)).outcome()).isEqualTo(Outcome.DID_NOT_HOLD);
        assertThat(Verdicts.phase2(exact(3 * MIB), e(2 * MIB, 25 * MIB)).outcome()).isEqualTo(Outcome.PARTLY_HELD);
    }

    @Test
    void phase2_residentSavingStraddlesHalfThePotential_inconclusive() {
        assertThat(Verdicts.phase2(exact(200_000), e(190 * MIB, 20 * MIB)).outcome()).isEqualTo(Outcome.INCONCLUSIVE);
    }

    @Test
    void phase3_cachesShrinkButResidentStays_partlyHeld() {
        assertThat(Verdicts.phase3(exact(55 * MIB), e(30 * MIB, MIB), e(5, 0.5)).outcome()).isEqualTo(Outcome.HELD);
        assertThat(Verdicts.phase3(exact(55 * MIB), e(1 * MIB, 0.5 * MIB), e(0.2, 0.1)).outcome())
                .isEqualTo(Outcome.PARTLY_HELD);
        assertThat(Verdicts.phase3(exact(0), e(0, 0.1 * MIB), e(0, 0.1)).outcome()).isEqualTo(Outcome.DID_NOT_HOLD);
    }

    // ------------------------------------------------------------------ phase 4 and beyond

    @Test
    void phase4_onTwoCoresWithoutAPrediction_inconclusiveAndNamesCores() {
        var v = Verdicts.phase4(e(1.9, 0.05), e(1.98, 0.01), 63, 2, NONE, "");
        assertThat(v.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(v.why()).contains("2 cores");
        assertThat(v.measured()).contains("ceiling").contains("of the gain it allows");
    }

    @Test
    void phase4_decidedOnThePredictionAt63Cores_heldAboveHalf_didNotHoldBelow_inconclusiveAcross() {
        assertThat(Verdicts.phase4(e(1.9, 0.05), e(1.98, 0.01), 63, 2, e(50, 5), "step model").outcome())
                .isEqualTo(Outcome.HELD);
        assertThat(Verdicts.phase4(e(1.9, 0.05), e(1.98, 0.01), 63, 2, e(20, 3), "step model").outcome())
                .isEqualTo(Outcome.DID_NOT_HOLD);
        assertThat(Verdicts.phase4(e(1.9, 0.05), e(1.98, 0.01), 63, 2, e(30, 5), "step model").outcome())
                .isEqualTo(Outcome.INCONCLUSIVE);
    }

    @Test
    void phase4_sixtyfoldOnBigMachine_held_noGain_didNotHold() {
        assertThat(Verdicts.phase4(e(60, 1), NONE, 63, 64, NONE, "").outcome()).isEqualTo(Outcome.HELD);
        assertThat(Verdicts.phase4(e(1.0, 0.05), NONE, 63, 64, NONE, "").outcome()).isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void beyond_lessMemoryAtPhase4Speed_heldAndFlipsWhenSlower() {
        assertThat(Verdicts.beyond(e(640 * MIB, MIB), e(380 * MIB, MIB), e(260 * MIB, 2 * MIB), e(1.02, 0.02))
                .outcome()).isEqualTo(Outcome.HELD);
        assertThat(Verdicts.beyond(e(640 * MIB, MIB), e(380 * MIB, MIB), e(260 * MIB, 2 * MIB), e(0.80, 0.02))
                .outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(Verdicts.beyond(e(640 * MIB, MIB), e(700 * MIB, MIB), e(-60 * MIB, 2 * MIB), e(0.80, 0.02))
                .outcome()).isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void beyond_speedIntervalStraddles95Percent_inconclusive() {
        assertThat(Verdicts.beyond(e(640 * MIB, MIB), e(380 * MIB, MIB), e(260 * MIB, 2 * MIB), e(0.95, 0.03))
                .outcome()).isEqualTo(Outcome.INCONCLUSIVE);
    }

    // ------------------------------------------------------------------ absolute figures

    @Test
    void before_absoluteFigure_heldWithinToleranceThenPartlyThenNot() {
        double claimed = 1.32 * 1024 * MIB;
        long ds = 24 * (long) MIB;
        assertThat(Verdicts.before(e(claimed * 1.2, claimed * 0.02), ds, SEED).outcome()).isEqualTo(Outcome.HELD);
        assertThat(Verdicts.before(e(claimed * 0.6, claimed * 0.02), ds, SEED).outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(Verdicts.before(e(claimed * 0.3, claimed * 0.02), ds, SEED).outcome()).isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void before_intervalAcrossTheToleranceEdge_inconclusive() {
        double claimed = 1.32 * 1024 * MIB;
        assertThat(Verdicts.before(e(claimed * 0.75, claimed * 0.05), 24 * (long) MIB, SEED).outcome())
                .isEqualTo(Outcome.INCONCLUSIVE);
    }

    @Test
    void absoluteClaims_atAnotherPreset_notComparableAndSayWhy() {
        double claimed = 1.32 * 1024 * MIB;
        var v = Verdicts.before(e(claimed, MIB), 24 * (long) MIB, SMALL);
        assertThat(v.outcome()).isEqualTo(Outcome.NOT_COMPARABLE);
        assertThat(v.why()).contains("small preset").contains("seed");
        assertThat(Verdicts.after(e(276 * MIB, MIB), 8192, SMALL).outcome()).isEqualTo(Outcome.NOT_COMPARABLE);
        assertThat(Verdicts.expectedLarge(e(473 * MIB, MIB), e(64, 1), 24 * (long) MIB, SMALL).outcome())
                .isEqualTo(Outcome.NOT_COMPARABLE);
        assertThat(Verdicts.ratio(e(55, 1), 24 * (long) MIB, SMALL).outcome()).isEqualTo(Outcome.NOT_COMPARABLE);
    }

    @Test
    void reduction_onlyCrossDatasetReaches79_partlyHeld() {
        var v = Verdicts.reduction(e(10, 1), 24 * 1024 * 1024, e(80, 1));
        assertThat(v.outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(v.why()).contains("cross-dataset");
        assertThat(Verdicts.reduction(e(78, 1), 24 * 1024 * 1024, e(80, 1)).outcome()).isEqualTo(Outcome.HELD);
    }

    // ------------------------------------------------------------------ the intervals themselves

    @Test
    void pairedRatio_ofRunsThatMovedTogether_isTighterThanTheRatioOfMeans() {
        var a = java.util.Map.of(1, 1000.0, 2, 1200.0, 3, 800.0);
        var b = java.util.Map.of(1, 1900.0, 2, 2300.0, 3, 1500.0);
        Estimate paired = Estimate.pairedRatio(b, a);
        Estimate unpaired = Estimate.ratio(Summary.of(b.values()), Summary.of(a.values()));
        assertThat(paired.value()).isBetween(1.88, 1.92);
        assertThat(paired.high() - paired.low()).isLessThan(0.3 * (unpaired.high() - unpaired.low()));
    }

    @Test
    void difference_welch_containsTheTrueDifference() {
        Estimate d = Estimate.difference(Summary.of(10.0, 11.0, 12.0), Summary.of(5.0, 6.0, 7.0));
        assertThat(d.value()).isEqualTo(5.0);
        assertThat(d.low()).isLessThan(5.0);
        assertThat(d.high()).isGreaterThan(5.0);
        assertThat(d.above(0)).isEqualTo(Estimate.Tri.TRUE);
        assertThat(d.above(6)).isEqualTo(Estimate.Tri.UNKNOWN);
    }

    @Test
    void fixtureVerdicts_phasesFoundByRole_andEveryClaimPresent() {
        ReportModel m = ReportGenerator.model(Fixtures.DIR);
        var byId = m.verdicts().stream().collect(java.util.stream.Collectors.toMap(ReportModel.Verdict::id, v -> v));

        assertThat(byId).containsKeys("before", "before.stacks", "before.ratio", "after", "after.reduction",
                "after.large", "phase1", "phase2", "phase3", "phase4", "beyond");
        // The fixtures are small-preset runs: the original's absolute figures are not comparable there.
        assertThat(byId.get("before").outcome()).isEqualTo(Outcome.NOT_COMPARABLE);
        assertThat(byId.get("phase2").outcome()).isNotEqualTo(Outcome.NOT_MEASURED);
        assertThat(byId.get("phase4").outcome()).isNotEqualTo(Outcome.NOT_MEASURED);
    }
}
