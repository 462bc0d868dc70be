package org.cllmlab.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatusTest {

    @Test
    void readsThisProcess() {
        ProcStatus s = ProcStatus.read();
        assertThat(s.vmRssBytes()).isPositive();
        assertThat(s.vmHwmBytes()).isGreaterThanOrEqualTo(s.vmRssBytes() / 2);
        assertThat(s.rssAnonBytes() + s.rssFileBytes() + s.rssShmemBytes()).isEqualTo(s.vmRssBytes());
        assertThat(s.threads()).isGreaterThan(1);
        assertThat(s.vmSizeBytes()).isGreaterThan(s.vmRssBytes());
    }

    @Test
    void parsesFixture() {
        ProcStatus s = ProcStatus.parse(Fixtures.text("status-linux6.txt"));
        assertThat(s.vmRssBytes()).isEqualTo(1612L * 1024);
        assertThat(s.vmHwmBytes()).isEqualTo(1612L * 1024);
        assertThat(s.rssAnonBytes()).isEqualTo(112L * 1024);
        assertThat(s.rssFileBytes()).isEqualTo(1500L * 1024);
        assertThat(s.rssShmemBytes()).isZero();
        assertThat(s.vmSizeBytes()).isEqualTo(3060L * 1024);
        assertThat(s.threads()).isEqualTo(1);
    }

    @Test
    void missingLinesAreNull() {
        ProcStatus s = ProcStatus.parse(Fixtures.text("status-no-rssanon.txt"));
        assertThat(s.vmRssBytes()).isEqualTo(140000L * 1024);
        assertThat(s.rssAnonBytes()).isNull();
        assertThat(s.rssFileBytes()).isNull();
        assertThat(s.threads()).isEqualTo(23);
    }

    @Test
    void emptyIsAClearError() {
        assertThatThrownBy(() -> ProcStatus.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ProcStatus.parse("Name:\tjava\n")).hasMessageContaining("no VmRSS");
    }
}
