package org.cllmlab.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.memory.HeapProbe;
import org.cllmlab.core.memory.MemoryBreakdown;
import org.cllmlab.core.memory.MemorySample;
import org.cllmlab.core.memory.NativeMemory;
import org.cllmlab.core.memory.ProcStatus;
import org.cllmlab.core.memory.ProcessMap;
import org.cllmlab.core.results.MemoryReport;
import org.cllmlab.core.results.MemoryRow;
import org.cllmlab.reports.ColourDistance.Vision;
import org.junit.jupiter.api.Test;

/**
 * Every memory category a result can hold has its own colour, and no two colours look alike, for normal vision
 * or under simulated deuteranopia and protanopia.
 */
class PaletteTest {

    /** Smallest CIEDE2000 difference between two categories' colours, normal vision. */
    static final double MIN_DELTA_E = 9.5;
    /** Smallest CIEDE2000 difference under simulated deuteranopia or protanopia. */
    static final double MIN_DELTA_E_DEFICIENT = 8.0;

    private static final long M = 1L << 20;

    /** Breakdowns made by the real builder along each of its paths: System.map, smaps, no map, no NMT. */
    static List<MemoryReport> realBreakdowns() {
        List<MemoryReport> out = new ArrayList<>();
        out.add(Fixtures.memory(Fixtures.LARGE, 8, 0, 2_470_000, 64, 4, 63, 1));  // platform stacks, System.map
        out.add(Fixtures.memory(Fixtures.SMALL, 0, 0, 204_000, 9, 8, 63, 1));    // virtual workers: stack chunks
        out.add(Fixtures.memory(Fixtures.SMALL, 1, 0, 204_000, 9, 4, 63, 2, true)); // negative residual

        Map<Category, Long> ledger = Map.of(Category.PARAMETERS, 40 * M, Category.DATASET, 6 * M);
        HeapProbe.Snapshot heap = new HeapProbe.Snapshot(90 * M, 400 * M, 2048 * M, 20 * M, 25 * M, Map.of(), Map.of(),
                30, 30, 8);
        NativeMemory nmt = new NativeMemory(3000 * M, 500 * M, 12 * M, Map.of(
                "Java Heap", new NativeMemory.Figures(2048 * M, 400 * M, null, 400 * M),
                "Thread", new NativeMemory.Figures(40 * M, 3 * M, M, null),
                "Code", new NativeMemory.Figures(240 * M, 9 * M, M, 8 * M),
                "GC", new NativeMemory.Figures(150 * M, 45 * M, 5 * M, 40 * M),
                "Metaspace", new NativeMemory.Figures(64 * M, 10 * M, 0L, 10 * M),
                "Internal", new NativeMemory.Figures(4 * M, 4 * M, M, 3 * M)), 40 * M, 2 * M, 30);
        ProcessMap smaps = new ProcessMap(ProcessMap.Source.SMAPS, List.of(
                new ProcessMap.Mapping(0x1000_0000L, 0x1000_0000L + 400 * M, "rw-p", 100 * M, ProcessMap.TAG_HEAP, null),
                new ProcessMap.Mapping(0x7000_0000_0000L, 0x7000_0000_0000L + 600 * M, "rw-p", 90 * M,
                        ProcessMap.UNTAGGED, null),
                new ProcessMap.Mapping(0x7600_0000_0000L, 0x7600_0000_0000L + 30 * M, "r--p", 25 * M,
                        ProcessMap.UNTAGGED, "/jdk/lib/modules")));
        out.add(MemoryBreakdown.builder().sample(new MemorySample(0, -1, null, null, heap, ledger, nmt, smaps, List.of()))
                .peakResidentBytes(smaps.rssBytes()).build());
        out.add(MemoryBreakdown.builder().sample(new MemorySample(0, -1, null, null, heap, ledger, nmt, null, List.of()))
                .peakResidentBytes(300 * M).build());
        ProcStatus status = new ProcStatus(150 * M, 150 * M, 120 * M, 30 * M, 0L, 8000 * M, 20);
        out.add(MemoryBreakdown.builder().fromSample(new MemorySample(0, -1, null, status, heap, ledger, null, null,
                List.of())).build());
        return out;
    }

    @Test
    void everyLedgerCategory_hasItsOwnColour() {
        for (Category c : Category.values()) {
            assertThat(Palette.CATEGORIES).as("ledger category " + c.id()).containsKey(c.id());
        }
    }

    @Test
    void realBreakdowns_useOnlyPaletteNames_andTogetherUseEveryOne() {
        Set<String> seen = new TreeSet<>();
        for (MemoryReport r : realBreakdowns()) {
            r.breakdown().stream().map(MemoryRow::name).forEach(seen::add);
        }

        assertThat(Palette.CATEGORIES.keySet()).as("palette keys against the builder's row names")
                .containsAll(seen);
        Set<String> rows = new TreeSet<>(Palette.CATEGORIES.keySet());
        rows.remove(Palette.GC_SLACK); // drawn by the report beside the rows, never a row itself
        assertThat(seen).as("every palette key is a row the builder writes (no stale name)").containsAll(rows);
    }

    @Test
    void breakdownSource_namesNoRowOutsideThePalette() throws IOException {
        Path source = Path.of("../core/src/main/java/org/cllmlab/core/memory/MemoryBreakdown.java");
        String text = Files.readString(source);
        Matcher m = Pattern.compile("\"((?:heap|jvm)\\.[a-z-]+|file-backed|unaccounted)\"").matcher(text);
        Set<String> named = new TreeSet<>();
        while (m.find()) {
            named.add(m.group(1));
        }

        assertThat(named).as("row names written in " + source).hasSizeGreaterThanOrEqualTo(12);
        assertThat(Palette.CATEGORIES.keySet()).containsAll(named);
    }

    @Test
    void noTwoCategoryColoursAlike_forNormalAndColourBlindVision() {
        List<Map.Entry<String, Color>> e = new ArrayList<>(Palette.CATEGORIES.entrySet());
        List<String> tooClose = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            for (int j = i + 1; j < e.size(); j++) {
                for (Vision v : Vision.values()) {
                    double d = ColourDistance.deltaE2000(e.get(i).getValue(), e.get(j).getValue(), v);
                    if (d < (v == Vision.NORMAL ? MIN_DELTA_E : MIN_DELTA_E_DEFICIENT)) {
                        tooClose.add(e.get(i).getKey() + " / " + e.get(j).getKey() + " " + v + " ΔE00 " + d);
                    }
                }
            }
            for (Vision v : Vision.values()) {
                double d = ColourDistance.deltaE2000(e.get(i).getValue(), Palette.BACKGROUND, v);
                if (d < MIN_DELTA_E_DEFICIENT) {
                    tooClose.add(e.get(i).getKey() + " / the white background " + v + " ΔE00 " + d);
                }
            }
        }

        assertThat(tooClose).isEmpty();
        assertThat(Set.copyOf(Palette.CATEGORIES.values())).hasSameSizeAs(Palette.CATEGORIES.values());
    }

    @Test
    void unknownCategories_getSpareColoursInOrder_neverAKnownOne() {
        Map<String, Color> c = Palette.forCategories(List.of("parameters", "jvm.future-area", "jvm.code", "x", "x"));

        assertThat(c).containsExactly(Map.entry("parameters", Palette.CATEGORIES.get("parameters")),
                Map.entry("jvm.future-area", Palette.SPARE.get(0)), Map.entry("jvm.code", Palette.CATEGORIES.get("jvm.code")),
                Map.entry("x", Palette.SPARE.get(1)));
        assertThat(Palette.SPARE).doesNotContainAnyElementsOf(Palette.CATEGORIES.values());
    }

    @Test
    void deltaE2000_matchesSharmasReferencePairs() {
        assertThat(ColourDistance.deltaE2000(new double[] {50, 2.6772, -79.7751}, new double[] {50, 0, -82.7485}))
                .isCloseTo(2.0425, within(1e-4));
        assertThat(ColourDistance.deltaE2000(new double[] {50, 2.5, 0}, new double[] {73, 25, -18}))
                .isCloseTo(27.1492, within(1e-4));
        assertThat(ColourDistance.deltaE2000(new double[] {2.0776, 0.0795, -1.1350}, new double[] {0.9033, -0.0636, -0.5514}))
                .isCloseTo(0.9082, within(1e-4));
    }
}
