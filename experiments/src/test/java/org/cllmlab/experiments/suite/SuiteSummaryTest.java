package org.cllmlab.experiments.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuiteSummaryTest {

    @Test
    void stats_ofThreeValues_giveMeanSampleSdAndStudentTInterval() {
        SuiteSummary.Stats s = SuiteSummary.Stats.of(List.of(10.0, 12.0, 14.0));
        assertThat(s.mean()).isEqualTo(12.0);
        assertThat(s.sd()).isCloseTo(2.0, within(1e-12));
        double half = 4.302652729911275 * 2.0 / Math.sqrt(3); // t(0.975, 2)
        assertThat(s.ciLow()).isCloseTo(12.0 - half, within(1e-6));
        assertThat(s.ciHigh()).isCloseTo(12.0 + half, within(1e-6));
    }

    @Test
    void stats_ofOneValue_haveNoSpreadOrInterval() {
        SuiteSummary.Stats s = SuiteSummary.Stats.of(List.of(5.0));
        assertThat(s.mean()).isEqualTo(5.0);
        assertThat(s.sd()).isNaN();
        assertThat(SuiteSummary.format(s, "%.0f")).isEqualTo("5 (n=1)");
    }
}
