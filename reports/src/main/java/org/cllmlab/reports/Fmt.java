package org.cllmlab.reports;

import java.util.Locale;

/**
 * Fixed, locale-independent number formatting shared by all formats, so that output is byte-for-byte
 * stable. Undefined figures print as "n/a". Memory is printed in MiB (2^20 bytes).
 */
final class Fmt {

    static final double MIB = 1024.0 * 1024.0;
    static final String NA = "n/a";

    private Fmt() {
    }

    static String num(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return NA;
        }
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        return s.startsWith("-") && s.matches("-0[.0]*") ? s.substring(1) : s;
    }

    static String mib(double bytes) {
        return num(bytes / MIB, 1);
    }

    /** A saving in MiB: "−12.0 MiB" when memory fell, "+3.5 MiB" when it grew. */
    static String saved(double bytes) {
        if (Double.isNaN(bytes)) {
            return NA;
        }
        return (bytes >= 0 ? "−" : "+") + mib(Math.abs(bytes)) + " MiB";
    }

    static String pct(double v) {
        return Double.isNaN(v) ? NA : num(v, 1) + "%";
    }

    static String signedPct(double v) {
        return Double.isNaN(v) ? NA : (v > 0 ? "+" : "") + num(v, 1) + "%";
    }

    /** A dataset size in the nearest binary unit: "8 KiB", "24 MiB", "1.5 MiB". */
    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return trim(b / 1024.0) + " KiB";
        }
        if (b < 1024L * 1024 * 1024) {
            return trim(b / MIB) + " MiB";
        }
        return trim(b / (MIB * 1024)) + " GiB";
    }

    private static String trim(double v) {
        String s = num(v, 1);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /** "mean ± half-width" of a 95% interval, "mean (n=1)", or "n/a" when nothing was measured. */
    static String meanCi(Summary s, double scale, int decimals) {
        if (s.n() == 0) {
            return NA;
        }
        String mean = num(s.mean() / scale, decimals);
        return s.hasInterval() ? mean + " ± " + num(s.halfWidth() / scale, decimals) : mean + " (n=1)";
    }

    /** The interval alone: "[lo, hi]" or "n=1". */
    static String ci(Summary s, double scale, int decimals) {
        if (s.n() == 0) {
            return NA;
        }
        return s.hasInterval()
                ? "[" + num(s.ciLow() / scale, decimals) + ", " + num(s.ciHigh() / scale, decimals) + "]"
                : "n=" + s.n();
    }

    /**
     * A spread over rounds as "median [min–max]", each scaled, with {@code unit} after the median and the
     * maximum: "25% [23–35%]", "21.7 [18.8–32.7]".
     */
    static String spread(EfficiencyResult.Spread s, double scale, int decimals, String unit) {
        return num(s.median() * scale, decimals) + unit + " [" + num(s.min() * scale, decimals) + "–"
                + num(s.max() * scale, decimals) + unit + "]";
    }

    static String mean(Summary s, double scale, int decimals) {
        return s.n() == 0 ? NA : num(s.mean() / scale, decimals);
    }
}
