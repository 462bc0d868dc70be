package org.cllmlab.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * A measured figure with its 95% interval, as the verdicts judge it: {@code low ≤ value ≤ high}. An exact
 * figure (array bytes, requested stack sizes) has a zero-width interval; a figure from one run has no
 * interval at all ({@code low} and {@code high} NaN), and a verdict on it is inconclusive.
 *
 * @param value  the estimate (a mean, a difference of means, a ratio)
 * @param low    the interval's lower end
 * @param high   the interval's upper end
 * @param n      how many runs (or pairs of runs) it rests on
 * @param method how the interval was made, in words
 */
public record Estimate(double value, double low, double high, int n, String method) {

    /** Whether an interval (or an exact figure) is known. */
    public boolean known() {
        return !Double.isNaN(value) && !Double.isNaN(low) && !Double.isNaN(high);
    }

    /** A figure with no noise: the interval is the figure itself. */
    public static Estimate exact(double value) {
        return new Estimate(value, value, value, Double.isNaN(value) ? 0 : 1, "exact");
    }

    public static final Estimate NONE = new Estimate(Double.NaN, Double.NaN, Double.NaN, 0, "not measured");

    /** The mean of {@code s} with its Student-t interval. */
    public static Estimate mean(Summary s) {
        if (s.n() == 0) {
            return NONE;
        }
        return new Estimate(s.mean(), s.ciLow(), s.ciHigh(), s.n(), "mean of " + s.n() + " runs, 95% t interval");
    }

    /**
     * {@code a − b} with Welch's 95% interval (unequal variances, Welch–Satterthwaite degrees of freedom).
     */
    public static Estimate difference(Summary a, Summary b) {
        if (a.n() == 0 || b.n() == 0) {
            return NONE;
        }
        double d = a.mean() - b.mean();
        if (a.n() < 2 || b.n() < 2) {
            return new Estimate(d, Double.NaN, Double.NaN, Math.min(a.n(), b.n()), "difference of single runs");
        }
        double va = a.sd() * a.sd() / a.n();
        double vb = b.sd() * b.sd() / b.n();
        double se = Math.sqrt(va + vb);
        if (se == 0) {
            return new Estimate(d, d, d, Math.min(a.n(), b.n()), "difference of means (no spread)");
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
        double t = new TDistribution(null, df).inverseCumulativeProbability(0.975);
        return new Estimate(d, d - t * se, d + t * se, Math.min(a.n(), b.n()), "difference of means, Welch 95% interval");
    }

    /** {@code 100 · (1 − b/a)}: how much {@code b} saves on {@code a}, in %, with the interval of the ratio. */
    public static Estimate savingPct(Summary a, Summary b) {
        Estimate r = ratio(b, a);
        if (Double.isNaN(r.value)) {
            return NONE;
        }
        return new Estimate(100 * (1 - r.value), 100 * (1 - r.high), 100 * (1 - r.low), r.n, r.method);
    }

    /**
     * {@code a / b} from two independent groups: the interval of the log-ratio from the two means' standard
     * errors (the delta method), Welch degrees of freedom.
     */
    public static Estimate ratio(Summary a, Summary b) {
        if (a.n() == 0 || b.n() == 0 || !(b.mean() != 0)) {
            return NONE;
        }
        double r = a.mean() / b.mean();
        if (a.n() < 2 || b.n() < 2) {
            return new Estimate(r, Double.NaN, Double.NaN, Math.min(a.n(), b.n()), "ratio of single runs");
        }
        double va = Math.pow(a.sd() / a.mean(), 2) / a.n();
        double vb = Math.pow(b.sd() / b.mean(), 2) / b.n();
        double se = Math.sqrt(va + vb);
        if (se == 0) {
            return new Estimate(r, r, r, Math.min(a.n(), b.n()), "ratio of means (no spread)");
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
        double t = new TDistribution(null, df).inverseCumulativeProbability(0.975);
        return new Estimate(r, r * Math.exp(-t * se), r * Math.exp(t * se), Math.min(a.n(), b.n()),
                "ratio of means, 95% interval of the log-ratio");
    }

    /**
     * {@code a / b} from runs paired by repetition (repetition {@code i} of both ran next to each other, so a
     * slow minute of the machine hits both): the mean of the pairs' log-ratios with its Student-t interval.
     * Falls back to {@link #ratio(Summary, Summary)} with fewer than two pairs.
     *
     * @param a repetition index → figure
     * @param b repetition index → figure
     */
    public static Estimate pairedRatio(Map<Integer, Double> a, Map<Integer, Double> b) {
        List<Double> logs = new ArrayList<>();
        for (Map.Entry<Integer, Double> e : new TreeMap<>(a).entrySet()) {
            Double other = b.get(e.getKey());
            if (other != null && e.getValue() > 0 && other > 0) {
                logs.add(Math.log(e.getValue() / other));
            }
        }
        if (logs.size() < 2) {
            return ratio(Summary.of(a.values()), Summary.of(b.values()));
        }
        SummaryStatistics s = new SummaryStatistics();
        logs.forEach(s::addValue);
        double m = s.getMean();
        double half = new TDistribution(null, logs.size() - 1).inverseCumulativeProbability(0.975)
                * s.getStandardDeviation() / Math.sqrt(logs.size());
        return new Estimate(Math.exp(m), Math.exp(m - half), Math.exp(m + half), logs.size(),
                "geometric mean of " + logs.size() + " paired runs, 95% t interval");
    }

    /** Whether the figure exceeds {@code x}: on the whole interval, nowhere on it, or not decided. */
    public Tri above(double x) {
        if (!known()) {
            return Tri.UNKNOWN;
        }
        return low > x ? Tri.TRUE : high <= x ? Tri.FALSE : Tri.UNKNOWN;
    }

    /** Whether the figure lies within {@code [from, to]}: on the whole interval, nowhere on it, or not decided. */
    public Tri within(double from, double to) {
        if (!known()) {
            return Tri.UNKNOWN;
        }
        if (low >= from && high <= to) {
            return Tri.TRUE;
        }
        return high < from || low > to ? Tri.FALSE : Tri.UNKNOWN;
    }

    /** The interval in the figure's own unit, scaled by {@code scale}: {@code "12.3 [11.9, 12.8]"}. */
    public String text(double scale, int decimals) {
        return text(scale, decimals, "");
    }

    /** As {@link #text(double, int)}, with a unit after the figure: {@code "12.3 [11.9, 12.8] MiB"}. */
    public String text(double scale, int decimals, String unit) {
        String u = unit.isEmpty() ? "" : unit.startsWith("%") || unit.startsWith("×") ? unit : " " + unit;
        if (Double.isNaN(value)) {
            return Fmt.NA;
        }
        String v = Fmt.num(value / scale, decimals);
        if (!known()) {
            return v + u + " (no interval: " + (n < 2 ? "a single run" : method) + ")";
        }
        if (low == high) {
            return v + u;
        }
        return v + " [" + Fmt.num(low / scale, decimals) + ", " + Fmt.num(high / scale, decimals) + "]" + u;
    }

    public Estimate scaled(double factor) {
        return new Estimate(value * factor, low * factor, high * factor, n, method);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s [%s, %s] (n=%d, %s)", value, low, high, n, method);
    }

    /** Three-valued logic for conditions decided on intervals. */
    public enum Tri {
        TRUE, FALSE, UNKNOWN;

        public Tri and(Tri o) {
            if (this == FALSE || o == FALSE) {
                return FALSE;
            }
            return this == TRUE && o == TRUE ? TRUE : UNKNOWN;
        }

        public Tri or(Tri o) {
            if (this == TRUE || o == TRUE) {
                return TRUE;
            }
            return this == FALSE && o == FALSE ? FALSE : UNKNOWN;
        }

        public static Tri of(boolean b) {
            return b ? TRUE : FALSE;
        }
    }
}
