package org.cllmlab.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmapsRollupTest {

    @Test
    void readsThisProcess() {
        SmapsRollup r = SmapsRollup.read();
        assertThat(r.rssBytes()).isGreaterThan(10L << 20);
        if (r.source() == SmapsRollup.Source.SMAPS_ROLLUP) {
            assertThat(r.pssBytes()).isPositive().isLessThanOrEqualTo(r.rssBytes());
            assertThat(r.anonymousBytes()).isPositive().isLessThanOrEqualTo(r.rssBytes());
        }
    }

    @Test
    void parsesKilobytesToBytes() {
        SmapsRollup r = SmapsRollup.parse(Fixtures.text("smaps_rollup-linux6.txt"));
        assertThat(r.source()).isEqualTo(SmapsRollup.Source.SMAPS_ROLLUP);
        assertThat(r.rssBytes()).isEqualTo(1704L * 1024);
        assertThat(r.pssBytes()).isEqualTo(306L * 1024);
        assertThat(r.pssAnonBytes()).isEqualTo(116L * 1024);
        assertThat(r.pssFileBytes()).isEqualTo(190L * 1024);
        assertThat(r.pssShmemBytes()).isZero();
        assertThat(r.anonymousBytes()).isEqualTo(116L * 1024);
        assertThat(r.swapBytes()).isZero();
        assertThat(r.fields()).containsEntry("Referenced", 1704L * 1024);
    }

    @Test
    void toleratesTabsMissingAndUnknownFields() {
        SmapsRollup r = SmapsRollup.parse(Fixtures.text("smaps_rollup-odd.txt"));
        assertThat(r.rssBytes()).isEqualTo(2048L * 1024);
        assertThat(r.pssAnonBytes()).isEqualTo(512L * 1024);
        assertThat(r.anonymousBytes()).isEqualTo(600L * 1024);
        assertThat(r.pssFileBytes()).isNull();
        assertThat(r.swapPssBytes()).isNull();
        assertThat(r.fields()).containsEntry("SomethingNew", 77L * 1024);
    }

    @Test
    void emptyOrRsslessTextIsAClearError() {
        assertThatThrownBy(() -> SmapsRollup.parse(Fixtures.text("empty.txt")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> SmapsRollup.parse(Fixtures.text("smaps_rollup-no-rss.txt")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no Rss");
    }

    @Test
    void fallsBackToStatusWithoutRollup(@TempDir Path dir) throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, Fixtures.text("status-linux6.txt"));
        SmapsRollup r = SmapsRollup.read(dir.resolve("smaps_rollup"), status);
        assertThat(r.source()).isEqualTo(SmapsRollup.Source.PROC_STATUS);
        assertThat(r.rssBytes()).isEqualTo(1612L * 1024);
        assertThat(r.anonymousBytes()).isEqualTo(112L * 1024);
        assertThat(r.fileBytes()).isEqualTo(1500L * 1024);
        assertThat(r.pssBytes()).isNull();
    }
}
