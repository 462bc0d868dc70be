package org.cllmlab.core.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepBreakdownTest {

    private static Training training(double wallSeconds, int steps, double tokensPerSecond, long flopsPerToken,
                                     Map<String, Long> ops) {
        return new Training(steps, 2, 4096, wallSeconds, wallSeconds, tokensPerSecond, List.of(), List.of(), List.of(),
                List.of(), true, flopsPerToken, ops, 1);
    }

    private static Contention contention(long prepare, long compute, long reduction, long update) {
        return new Contention(2, 0, 0, 0, 0, 0, reduction, update, null, null, 0, List.of(), List.of(), 4,
                new Contention.Phases(prepare, compute, reduction, update, 2, 2, true, 2));
    }

    @Test
    void computePhase_isSplitInThePassesProportions_andThePartsAddUpToTheStep() {
        Map<String, Long> ops = new LinkedHashMap<>();
        ops.put("matrix-products", 9_000L);
        ops.put("gelu", 600L);
        ops.put("layer-norm", 400L);
        // 4 steps, 10 s: 2.5 s a step; compute 8 s (2 s a step), reduction 0.4 s, update 0.8 s, prepare 0.2 s.
        Training t = training(10, 4, 1000, 0, ops);
        StepBreakdown b = StepBreakdown.of(t, contention(200_000_000L, 8_000_000_000L, 400_000_000L, 800_000_000L));

        assertThat(b.stepSeconds()).isCloseTo(2.5, within(1e-12));
        assertThat(b.matrixProducts()).isCloseTo(1.8, within(1e-12));
        assertThat(b.otherOps()).isCloseTo(0.2, within(1e-12));
        assertThat(b.reduction()).isCloseTo(0.1, within(1e-12));
        assertThat(b.optimizer()).isCloseTo(0.2, within(1e-12));
        assertThat(b.rest()).isCloseTo(0.2, within(1e-12));
        assertThat(b.byName().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(2.5, within(1e-12));
    }

    @Test
    void withoutAProfile_thereIsNoBreakdown() {
        assertThat(StepBreakdown.of(training(1, 1, 1, 0, Map.of()), contention(1, 1, 1, 1))).isNull();
    }

    @Test
    void mfu_isModelFlopsPerSecondOverThePeakTimesTheCores() {
        Training t = training(1, 1, 2000, 30_710_784L, Map.of());

        assertThat(t.modelFlopsPerSecond()).isEqualTo(2000 * 30_710_784.0);
        assertThat(t.mfu(100e9, 1)).isCloseTo(0.614, within(1e-3));
        assertThat(t.mfu(100e9, 2)).isCloseTo(0.307, within(1e-3));
        assertThat(training(1, 1, 2000, 0, Map.of()).mfu(100e9, 1)).as("no count recorded").isNaN();
        assertThat(t.mfu(0, 1)).as("no peak measured").isNaN();
    }
}
