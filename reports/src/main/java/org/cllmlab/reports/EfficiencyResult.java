package org.cllmlab.reports;

import java.util.List;

/**
 * One file written by {@code ./lab efficiency}: the {@code seed} matrix products of each kernel timed
 * interleaved, round after round in one JVM, with the register FMA loop that gives this machine's peak.
 * All GFLOP/s are wall-time figures of one thread (a fused multiply-add counts as two FLOP).
 *
 * @param file           the file it came from, relative to the result directory
 * @param rounds         measured rounds; each timed every product once (the spreads are over these rounds)
 * @param sliceMillis    how long each single measurement ran, in milliseconds
 * @param startedAt      when the measurement started (ISO-8601, from the file's provenance), empty when not recorded
 * @param gitCommit      the commit that was measured (from the file's provenance), empty when not recorded
 * @param peak           one thread's register FMA loop, GFLOP/s (wall), measured beside every product
 * @param twoCoreCeiling the FMA loop's throughput on two threads over one thread's, measured back to back
 *                       (a ratio: the most a parallel speed-up can reach on this machine)
 * @param issueProbe     the integer issue probe timed after each product, as a share (0..1) of its fastest
 *                       slice in the run; null in files written before the probe existed
 * @param products       one entry per kernel and product, in the file's order
 */
public record EfficiencyResult(String file, int rounds, int sliceMillis, String startedAt, String gitCommit, Spread peak,
                               Spread twoCoreCeiling, Spread issueProbe, List<Product> products) {

    public EfficiencyResult {
        products = List.copyOf(products);
    }

    /**
     * The median, smallest and largest value of a figure over the rounds.
     *
     * @param median median over the rounds
     * @param min    smallest value over the rounds
     * @param max    largest value over the rounds
     */
    public record Spread(double median, double min, double max) {
    }

    /**
     * One matrix product under one kernel.
     *
     * @param kernel           the kernel that computed it, e.g. {@code vector}
     * @param product          which product of a training step, e.g. {@code linearForward}
     * @param description      its shape, e.g. {@code x·Wᵀ (NT) 128×1024×256}
     * @param gflops           the product's GFLOP/s (wall, one thread)
     * @param shareOfPeak      its GFLOP/s over the mean of the FMA peak measured just before and just after it,
     *                         over all rounds (0..1)
     * @param quietRounds      how many rounds were quiet (issue probe at 90% or more of its best) for this
     *                         product; null in files written before the probe existed
     * @param quietShareOfPeak share of peak over the quiet rounds alone (0..1); null when no round was quiet
     *                         or the file predates the probe
     */
    public record Product(String kernel, String product, String description, Spread gflops, Spread shareOfPeak,
                          Integer quietRounds, Spread quietShareOfPeak) {
    }
}
