package org.cllmlab.reports;

import static org.assertj.core.api.Assertions.assertThat;

import org.cllmlab.reports.ReportModel.Outcome;
import org.junit.jupiter.api.Test;

class VerdictsTest {

    static final double MIB = 1024 * 1024;
    static final double NA = Double.NaN;

    @Test
    void phase1_residentFallsByThirdWithoutSlowdown_held() {
        var v = Verdicts.phase1(455 * MIB, 450 * MIB, 34, -1.2);
        assertThat(v.outcome()).isEqualTo(Outcome.HELD);
    }

    @Test
    void phase1_onlyReservedStacksFall_partlyHeldAndSaysReserved() {
        var v = Verdicts.phase1(455 * MIB, 3 * MIB, 0.8, -1.0);
        assertThat(v.outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(v.why()).contains("reserved");
    }

    @Test
    void phase1_residentFallsButThroughputDrops_partlyHeld() {
        assertThat(Verdicts.phase1(455 * MIB, 450 * MIB, 34, -20).outcome()).isEqualTo(Outcome.PARTLY_HELD);
    }

    @Test
    void phase1_throughputChangeWithinRunToRunNoise_countsAsNoImpact() {
        // An 8% drop is beyond ±5%, but inside a ±12% interval it is not an effect.
        assertThat(Verdicts.phase1(455 * MIB, 450 * MIB, 34, -8, 12).outcome()).isEqualTo(Outcome.HELD);
        assertThat(Verdicts.phase1(455 * MIB, 450 * MIB, 34, -8, 2).outcome()).isEqualTo(Outcome.PARTLY_HELD);
    }

    @Test
    void phase1_singleRunsBeyondFivePercent_sayTheyCannotTellNoiseFromEffect() {
        var v = Verdicts.phase1(455 * MIB, 3 * MIB, 0.8, -8);
        assertThat(v.outcome()).isEqualTo(Outcome.DID_NOT_HOLD);
        assertThat(v.why()).contains("--reps");
        assertThat(v.measured()).contains("single runs").contains("resident −3.0 MiB");
    }

    @Test
    void phase2_residentGrew_saysPlusNotMinusMinus() {
        var v = Verdicts.phase2(2 * MIB, -11.8 * MIB);
        assertThat(v.measured()).contains("resident +11.8 MiB").doesNotContain("−-");
    }

    @Test
    void beyond_lessMemoryAtPhase4Speed_heldAndFlipsWhenSlower() {
        assertThat(Verdicts.beyond(640 * MIB, 380 * MIB, 1.02).outcome()).isEqualTo(Outcome.HELD);
        assertThat(Verdicts.beyond(640 * MIB, 380 * MIB, 0.80).outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(Verdicts.beyond(640 * MIB, 700 * MIB, 0.80).outcome()).isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void phase1_nothingFalls_didNotHold() {
        assertThat(Verdicts.phase1(0, 0, 0, -30).outcome()).isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void phase1_noRuns_notMeasured() {
        assertThat(Verdicts.phase1(NA, NA, NA, NA).outcome()).isEqualTo(Outcome.NOT_MEASURED);
    }

    @Test
    void phase2_hundredsOfMegabytes_held_fewMegabytes_partly_kilobytes_didNotHold() {
        assertThat(Verdicts.phase2(380 * MIB, 300 * MIB).outcome()).isEqualTo(Outcome.HELD);
        assertThat(Verdicts.phase2(4.5 * MIB, 3 * MIB).outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(Verdicts.phase2(200_000, 100_000).outcome()).isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void phase3_cachesShrinkButResidentStays_partlyHeld() {
        assertThat(Verdicts.phase3(55 * MIB, 30 * MIB, 5).outcome()).isEqualTo(Outcome.HELD);
        assertThat(Verdicts.phase3(55 * MIB, 1 * MIB, 0.2).outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(Verdicts.phase3(0, 0, 0).outcome()).isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void phase4_nearCoreCapOnTwoCores_partlyHeldAndNamesCores() {
        var v = Verdicts.phase4(1.9, 63, 2);
        assertThat(v.outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(v.why()).contains("2 cores");
    }

    @Test
    void phase4_sixtyfoldOnBigMachine_held_noGain_didNotHold() {
        assertThat(Verdicts.phase4(60, 63, 64).outcome()).isEqualTo(Outcome.HELD);
        assertThat(Verdicts.phase4(1.0, 63, 2).outcome()).isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void before_absoluteFigure_heldWithinToleranceThenPartlyThenNot() {
        double claimed = 1.32 * 1024 * MIB;
        assertThat(Verdicts.before(claimed * 1.2, 24 * (long) MIB, 63).outcome()).isEqualTo(Outcome.HELD);
        assertThat(Verdicts.before(claimed * 0.6, 24 * (long) MIB, 63).outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(Verdicts.before(claimed * 0.3, 24 * (long) MIB, 63).outcome()).isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void reduction_onlyCrossDatasetReaches79_partlyHeld() {
        var v = Verdicts.reduction(10, 24 * 1024 * 1024, 80);
        assertThat(v.outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(v.why()).contains("cross-dataset");
        assertThat(Verdicts.reduction(78, 24 * 1024 * 1024, 80).outcome()).isEqualTo(Outcome.HELD);
    }

    @Test
    void fixtureVerdicts_phase1ResidentBarelyMoves_partlyHeldInReport() {
        ReportModel m = ReportGenerator.model(Fixtures.DIR);
        var byId = m.verdicts().stream().collect(java.util.stream.Collectors.toMap(ReportModel.Verdict::id, v -> v));

        assertThat(byId.get("phase1").outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(byId.get("phase4").outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(byId.get("phase2").outcome()).isEqualTo(Outcome.PARTLY_HELD);
        assertThat(byId).containsKeys("before", "before.stacks", "before.ratio", "after", "after.reduction", "after.large", "phase3");
    }
}
