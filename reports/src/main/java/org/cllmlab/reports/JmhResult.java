package org.cllmlab.reports;

import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark of a JMH JSON result file ({@code -rf json}).
 *
 * @param file       the file it came from, relative to the result directory
 * @param benchmark  fully qualified benchmark method
 * @param mode       JMH mode ({@code thrpt}, {@code avgt}, ...)
 * @param threads    benchmark threads
 * @param forks      forks
 * @param params     {@code @Param} values, sorted by name
 * @param score      primary metric score (measured)
 * @param scoreError half-width of JMH's 99.9% interval, NaN when JMH gave none
 * @param unit       score unit, e.g. {@code ops/s}
 */
public record JmhResult(String file, String benchmark, String mode, int threads, int forks,
                        Map<String, String> params, double score, double scoreError, String unit) {
    public JmhResult {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    }
}
