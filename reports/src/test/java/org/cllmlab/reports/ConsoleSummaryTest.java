package org.cllmlab.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConsoleSummaryTest {

    @Test
    void summary_ofThreeValues_givesMeanSampleSdAndStudentTInterval() {
        Summary s = Summary.of(10.0, 12.0, 14.0);
        assertThat(s.mean()).isEqualTo(12.0);
        assertThat(s.sd()).isCloseTo(2.0, within(1e-12));
        double half = 4.302652729911275 * 2.0 / Math.sqrt(3); // t(0.975, 2)
        assertThat(s.ciLow()).isCloseTo(12.0 - half, within(1e-6));
        assertThat(s.ciHigh()).isCloseTo(12.0 + half, within(1e-6));
        assertThat(ConsoleSummary.format(s, 1, "%.1f")).isEqualTo("12.0 ± 2.0 [7.0, 17.0]");
    }

    @Test
    void summary_ofOneValue_hasNoSpreadOrInterval() {
        Summary s = Summary.of(5.0);
        assertThat(s.mean()).isEqualTo(5.0);
        assertThat(s.sd()).isNaN();
        assertThat(ConsoleSummary.format(s, 1, "%.0f")).isEqualTo("5 (n=1)");
        assertThat(ConsoleSummary.format(Summary.EMPTY, 1, "%.0f")).isEqualTo("-");
    }
}
