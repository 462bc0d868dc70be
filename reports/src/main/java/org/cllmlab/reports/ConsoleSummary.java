package org.cllmlab.reports;

import java.io.PrintWriter;
import java.util.Locale;
import org.cllmlab.reports.ReportModel.Group;

/**
 * The compact table a suite prints when it ends: one row per run group of the {@link ReportModel}, with
 * the same figures (and the same statistics, {@link Summary}) as the written reports.
 */
public final class ConsoleSummary {

    private ConsoleSummary() {
    }

    /** Prints the groups of {@code model}: runs ok and failed, tokens/s of wall time, resident peak. */
    public static void print(ReportModel model, PrintWriter out) {
        int w = Math.max(24, model.groups().stream().mapToInt(g -> name(g).length()).max().orElse(0));
        out.printf(Locale.ROOT, "%-" + w + "s %4s %4s  %-36s  %-42s%n", "run", "ok", "fail",
                "tokens/s (wall): mean ± sd [95% CI]", "resident MiB after a full collection: mean ± sd [95% CI]");
        for (Group g : model.groups()) {
            out.printf(Locale.ROOT, "%-" + w + "s %4d %4d  %-36s  %-42s%n", name(g), g.ok(), g.failed(),
                    format(g.tokensPerSecond(), 1, "%.0f") + Tables.cold(g), format(g.residentStableBytes(), Fmt.MIB, "%.1f"));
        }
        if (Tables.anyCold(model)) {
            out.println(Tables.COLD_NOTE);
        }
        out.flush();
    }

    private static String name(Group g) {
        String id = g.runIds().isEmpty() ? g.key().label() : g.runIds().get(0);
        return id.replaceFirst("-r\\d+$", "");
    }

    /** {@code mean ± sd [low, high]}, {@code mean (n=1)}, or {@code -} without values; figures divided by {@code scale}. */
    static String format(Summary s, double scale, String f) {
        if (s.n() == 0) {
            return "-";
        }
        String mean = String.format(Locale.ROOT, f, s.mean() / scale);
        if (s.n() == 1) {
            return mean + " (n=1)";
        }
        return mean + " ± " + String.format(Locale.ROOT, f, s.sd() / scale) + " ["
                + String.format(Locale.ROOT, f, s.ciLow() / scale) + ", " + String.format(Locale.ROOT, f, s.ciHigh() / scale)
                + "]";
    }
}
