package org.cllmlab.reports;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's fixed colours. Every memory category a result's breakdown can hold has its own colour, taken
 * from Okabe and Ito's colour-blind-safe set and Paul Tol's bright, vibrant, muted, light, medium-contrast,
 * high-contrast, pale and dark sets, and chosen so that any two stay apart (CIEDE2000) for normal vision and
 * under simulated deuteranopia and protanopia; {@code PaletteTest} checks it. The keys are the row names that
 * {@code MemoryBreakdown} writes: the ledger's category ids, then the heap, JVM, file and residual rows.
 *
 * <p>Colours follow the kind of memory: the ledger (model, data and step buffers) in blues, greens and an
 * olive; the heap's other rows in pale green, orange and yellow; the JVM's own areas in reds and purples;
 * file mappings in sand; the unaccounted residual in grey.
 */
final class Palette {

    private Palette() {
    }

    /**
     * The segment of a memory bar that no breakdown row holds: the GC's slack (the sampled peak above the
     * resident figure after a full collection).
     */
    static final String GC_SLACK = "gc-slack";

    /** Colour of each memory category, in the breakdown's order (ledger, heap, jvm, file, residual, slack). */
    static final Map<String, Color> CATEGORIES = categories();

    /**
     * Colours for a category no release of this report knows yet (a result from a newer run), handed out in
     * the order such names first appear in a chart: never a colour hashed from the name.
     */
    static final List<Color> SPARE = List.of(new Color(0x000000), new Color(0x44BB99), new Color(0xAA3377),
            new Color(0xCC3311), new Color(0xEE7733));

    /** Series colours of the other charts (datasets, strategies, phases): Okabe–Ito's, black last. */
    static final List<Color> SERIES = List.of(new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
            new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000));

    /** Reference lines: ideal speedup, the machine's core cap, claims. */
    static final Color IDEAL = new Color(0x777777);
    static final Color CORE_CAP = new Color(0xD55E00);
    static final Color MEASURED = Color.BLACK;
    static final Color PREDICTION = new Color(0x009E73);
    static final Color BACKGROUND = Color.WHITE;

    private static Map<String, Color> categories() {
        Map<String, Color> m = new LinkedHashMap<>();
        // ledger (org.cllmlab.core.memory.Category ids)
        m.put("activations", new Color(0x009E73));      // Okabe–Ito bluish green
        m.put("batches", new Color(0x88CCEE));          // Tol muted cyan
        m.put("dataset", new Color(0x222255));          // Tol dark blue
        m.put("gradients", new Color(0x0077BB));        // Tol vibrant blue
        m.put("hierarchy", new Color(0x666633));        // Tol dark yellow (olive)
        m.put("optimizer-state", new Color(0x77AADD));  // Tol light blue
        m.put("parameters", new Color(0x004488));       // Tol high-contrast blue
        m.put("workspace", new Color(0xCCEEFF));        // Tol pale cyan
        // heap rows beside the ledger
        m.put("heap.free-resident", new Color(0xCCDDAA)); // Tol pale green
        m.put("heap.other", new Color(0xE69F00));         // Okabe–Ito orange
        m.put("heap.virtual-thread-stacks", new Color(0xF0E442)); // Okabe–Ito yellow
        // the JVM's own areas
        m.put("jvm.class-data-sharing", new Color(0xCC79A7)); // Okabe–Ito reddish purple
        m.put("jvm.code", new Color(0x663333));          // Tol dark red
        m.put("jvm.gc", new Color(0xEE6677));            // Tol bright red
        m.put("jvm.malloc", new Color(0x882255));        // Tol muted wine
        m.put("jvm.metaspace", new Color(0xAA4499));     // Tol muted purple
        m.put("jvm.other-mapped", new Color(0x994455));  // Tol medium-contrast dark red
        m.put("jvm.thread-stacks", new Color(0xD55E00)); // Okabe–Ito vermillion
        // file mappings and the residual
        m.put("file-backed", new Color(0xDDCC77));       // Tol muted sand
        m.put("unaccounted", new Color(0xBBBBBB));       // Tol bright grey
        // not a breakdown row: the slack a full collection gave back, on top of the bars
        m.put(GC_SLACK, new Color(0x111111));            // near black: what the collection gave back
        return Collections.unmodifiableMap(m);
    }

    /**
     * Colours for the categories of one chart, in the order given: a known category's own colour, else the
     * next spare one (cycling when a chart has more unknown categories than spares).
     */
    static Map<String, Color> forCategories(List<String> names) {
        Map<String, Color> out = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String n : names) {
            Color c = CATEGORIES.get(n);
            if (c != null) {
                out.putIfAbsent(n, c);
            } else if (!unknown.contains(n)) {
                unknown.add(n);
                out.put(n, SPARE.get((unknown.size() - 1) % SPARE.size()));
            }
        }
        return out;
    }

    /** The i-th series colour, cycling. */
    static Color series(int i) {
        return SERIES.get(Math.floorMod(i, SERIES.size()));
    }
}
