package org.cllmlab.reports;

import java.util.Collection;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * Repetitions of one figure summarised: mean, sample standard deviation and a 95% confidence interval for
 * the mean from Student's t with {@code n - 1} degrees of freedom. With {@code n = 1} the spread and the
 * interval are undefined ({@code NaN}) and reports print "n=1" instead of a made-up interval; with
 * {@code n = 0} everything is {@code NaN}.
 *
 * @param n      how many values were summarised
 * @param mean   arithmetic mean
 * @param sd     sample standard deviation (n - 1 in the denominator)
 * @param ciLow  lower end of the 95% confidence interval for the mean
 * @param ciHigh upper end of the 95% confidence interval for the mean
 */
public record Summary(int n, double mean, double sd, double ciLow, double ciHigh) {

    /** Confidence level of {@link #ciLow}/{@link #ciHigh}. */
    public static final double CONFIDENCE = 0.95;

    public static final Summary EMPTY = new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    public static Summary of(double... values) {
        DescriptiveStatistics stats = new DescriptiveStatistics();
        for (double v : values) {
            if (!Double.isNaN(v)) {
                stats.addValue(v);
            }
        }
        int n = (int) stats.getN();
        if (n == 0) {
            return EMPTY;
        }
        double mean = stats.getMean();
        if (n == 1) {
            return new Summary(1, mean, Double.NaN, Double.NaN, Double.NaN);
        }
        double sd = stats.getStandardDeviation();
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
        double half = t * sd / Math.sqrt(n);
        return new Summary(n, mean, sd, mean - half, mean + half);
    }

    public static Summary of(Collection<? extends Number> values) {
        return of(values.stream().mapToDouble(Number::doubleValue).toArray());
    }

    /** Half the width of the confidence interval, NaN when undefined. */
    public double halfWidth() {
        return (ciHigh - ciLow) / 2;
    }

    public boolean hasInterval() {
        return n >= 2 && !Double.isNaN(ciLow);
    }
}
