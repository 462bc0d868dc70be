package org.cllmlab.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NativeMemoryTest {

    private static final long K = 1024;

    @ParameterizedTest
    @ValueSource(strings = {"nmt-jdk17-summary-kb.txt", "nmt-jdk21-summary-kb-handwritten.txt",
        "nmt-jdk25-summary-kb.txt", "nmt-jdk25-summary-mb.txt", "nmt-jdk17-print-statistics-bytes.txt",
        "nmt-jdk25-print-statistics-bytes.txt"})
    void parsesEveryFormat(String fixture) {
        NativeMemory n = NativeMemory.parse(Fixtures.text(fixture));
        assertThat(n).isNotNull();
        assertThat(n.totalReservedBytes()).isGreaterThan(n.totalCommittedBytes()).isGreaterThan(0);
        assertThat(n.categories()).containsKeys("Java Heap", "Class", "Thread", "Code", "GC", "Metaspace");
        if (!fixture.contains("-mb")) {
            assertThat(n.categories()).containsKeys("Compiler", "Internal", "Symbol");
        }
        assertThat(n.category("Java Heap").reservedBytes()).isEqualTo(6172672 * K);
        assertThat(n.stackReservedBytes()).isPositive();
        assertThat(n.stackCommittedBytes()).isPositive().isLessThan(n.stackReservedBytes());
        assertThat(n.threadCount()).isPositive();
        long sumCommitted = n.categories().values().stream().mapToLong(NativeMemory.Figures::committedBytes).sum();
        // the categories add up to the total, within rounding and omitted small categories
        assertThat((double) sumCommitted).isCloseTo(n.totalCommittedBytes(),
                org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void jdk25KilobyteFiguresExactly() {
        NativeMemory n = NativeMemory.parse(Fixtures.text("nmt-jdk25-summary-kb.txt"));
        assertThat(n.totalReservedBytes()).isEqualTo(7756034 * K);
        assertThat(n.totalCommittedBytes()).isEqualTo(501554 * K);
        assertThat(n.totalMallocBytes()).isEqualTo(33166 * K);
        assertThat(n.threadCount()).isEqualTo(18);
        assertThat(n.stackReservedBytes()).isEqualTo(18432 * K);
        assertThat(n.stackCommittedBytes()).isEqualTo(732 * K);
        NativeMemory.Figures gc = n.category("GC");
        assertThat(gc.reservedBytes()).isEqualTo(158280 * K);
        assertThat(gc.committedBytes()).isEqualTo(45400 * K);
        assertThat(gc.mallocBytes()).isEqualTo(4748 * K);
        assertThat(gc.mmapCommittedBytes()).isEqualTo(40652 * K);
        // the Metadata sub-lines of Class are not taken for its mmap line
        assertThat(n.category("Class").mmapCommittedBytes()).isEqualTo(1536 * K);
        assertThat(n.category("Shared class space").committedBytes()).isEqualTo(13908 * K);
    }

    @Test
    void jdk17ThreadLineAndPrintStatisticsBytes() {
        NativeMemory n = NativeMemory.parse(Fixtures.text("nmt-jdk17-summary-kb.txt"));
        assertThat(n.threadCount()).isEqualTo(19);
        assertThat(n.stackCommittedBytes()).isEqualTo(752 * K);
        NativeMemory b = NativeMemory.parse(Fixtures.text("nmt-jdk17-print-statistics-bytes.txt"));
        assertThat(b.totalCommittedBytes()).isEqualTo(483833467L);
        assertThat(b.stackReservedBytes()).isEqualTo(13631488L);
        assertThat(b.threadCount()).isEqualTo(13);
    }

    @Test
    void megabyteScale() {
        NativeMemory n = NativeMemory.parse(Fixtures.text("nmt-jdk25-summary-mb.txt"));
        assertThat(n.totalCommittedBytes()).isEqualTo(475L << 20);
        assertThat(n.stackReservedBytes()).isEqualTo(18L << 20);
    }

    @Test
    void offIsNullAndGarbageIsAnError() {
        assertThat(NativeMemory.parse(Fixtures.text("nmt-off.txt"))).isNull();
        assertThatThrownBy(() -> NativeMemory.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NativeMemory.parse("hello\n")).hasMessageContaining("Total");
    }

    @Test
    void inProcessWhenEnabled() {
        assumeTrue(NativeMemory.enabledByFlag(), "test JVM runs without -XX:NativeMemoryTracking");
        NativeMemory n = NativeMemory.read();
        assertThat(n).isNotNull();
        assertThat(n.category("Java Heap").reservedBytes())
                .isGreaterThanOrEqualTo(Runtime.getRuntime().maxMemory() / 2);
        assertThat(n.threadCount()).isGreaterThan(1);
        assertThat(n.stackCommittedBytes()).isPositive();
    }

    @Test
    void childJvmWithNmtReadsItself() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-XX:NativeMemoryTracking=summary", "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-cp", System.getProperty("java.class.path"), NmtProbeMain.class.getName())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        List<String> lines = out.lines().toList();
        assertThat(lines).contains("heap.reserved=" + (64L << 20));
        assertThat(lines).anyMatch(l -> l.matches("threads=\\d+"));
        assertThat(lines).anyMatch(l -> l.matches("stack.committed=[1-9]\\d*"));
    }

    @Test
    void childJvmWithoutNmtSaysOff() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), NmtProbeMain.class.getName()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("nmt=off");
    }
}
