package org.cllmlab.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessMapTest {

    @Test
    void parsesSystemMapWithNmtTags() {
        ProcessMap m = ProcessMap.parseSystemMap(Fixtures.text("system-map-jdk25.txt"));
        assertThat(m.source()).isEqualTo(ProcessMap.Source.SYSTEM_MAP);
        // the fixture's own summary line: rss: 130056192
        assertThat(m.rssBytes()).isEqualTo(130056192L);
        assertThat(m.resident(ProcessMap.TAG_HEAP)).isEqualTo(29130752L + 1196032L);
        assertThat(m.resident(ProcessMap.TAG_STACK)).isPositive();
        assertThat(m.resident("CDS")).isEqualTo(4096L + 14118912L);
        assertThat(m.residentByTag()).containsKeys("JAVAHEAP", "STACK", "CODE", "META", "CLASS", "file", "anon");
        assertThat(m.untaggedAnonResident() + m.untaggedFileResident()
                + m.residentByTag().entrySet().stream().filter(e -> !e.getKey().equals("file")
                && !e.getKey().equals("anon")).mapToLong(e -> e.getValue()).sum()).isEqualTo(m.rssBytes());
        ProcessMap.Mapping brk = m.mappings().stream().filter(x -> "[heap]".equals(x.file())).findFirst().orElseThrow();
        assertThat(brk.fileBacked()).isFalse();
    }

    @Test
    void parsesOwnSmapsAndTagsTheHeapRange() throws Exception {
        String heapInfo = NativeMemory.DiagnosticCommands.invoke("gcHeapInfo");
        long[] range = ProcessMap.parseHeapRange(heapInfo);
        ProcessMap m = ProcessMap.parseSmaps(Files.readString(Path.of("/proc/self/smaps")), range);
        assertThat(m.source()).isEqualTo(ProcessMap.Source.SMAPS);
        assertThat(m.rssBytes()).isGreaterThan(10L << 20);
        if (range != null) {
            assertThat(m.resident(ProcessMap.TAG_HEAP)).isPositive();
        }
        assertThat(m.untaggedFileResident()).isPositive();
    }

    @Test
    void heapRangeFromG1Text() {
        long[] r = ProcessMap.parseHeapRange(
                " garbage-first heap   total 397312K, used 16774K [0x0000000687400000, 0x0000000800000000)\n");
        assertThat(r).containsExactly(0x687400000L, 0x800000000L);
        assertThat(ProcessMap.parseHeapRange(" ZHeap used 10M, capacity 20M")).isNull();
    }

    @Test
    void readsThisProcess() {
        ProcessMap m = ProcessMap.read(NativeMemory.enabledByFlag());
        assertThat(m.rssBytes()).isGreaterThan(10L << 20);
        assertThat(m.resident(ProcessMap.TAG_HEAP)).isPositive();
    }

    @Test
    void emptyIsAnError() {
        assertThatThrownBy(() -> ProcessMap.parseSystemMap("nothing")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessMap.parseSmaps("", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
