package org.cllmlab.core.results;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What training did and how fast.
 *
 * @param steps              optimizer steps measured (after warm-up)
 * @param warmupSteps        steps run before measuring
 * @param tokensPerStep      tokens processed per optimizer step
 * @param wallSeconds        wall time of the measured steps
 * @param cpuSeconds         process CPU time of the measured steps
 * @param tokensPerSecond    measured tokens / wall second
 * @param losses             training loss per step, warm-up included
 * @param validationLosses   validation loss at the steps in {@code validationSteps}
 * @param validationSteps    the steps at which validation was measured
 * @param stepWallSeconds    wall time per measured step
 * @param warmupSettled      whether warm-up ended because the step time had settled (the JIT compiler had
 *                           gone quiet), or was fixed; false when an adaptive warm-up hit its limit first
 * @param modelFlopsPerToken the model's FLOPs per trained token ({@code ModelFlops.perToken}: matrix products
 *                           and causal attention, forward and backward); 0 in older result files
 * @param opNanos            worker time of the measured steps' passes by family of operation
 *                           ({@code OpTimes.byName}: matrix-products, attention, layer-norm, gelu, residual,
 *                           cross-entropy), summed over the workers, validation excluded; empty in older files
 * @param groupItems         the most items the engine handed a worker at once ({@code ParallelTrainer.groupFor});
 *                           the lock-free strategies run such a group as one forward and backward pass, the
 *                           others item by item; 1 when every item came alone, 0 in older files
 */
public record Training(
        int steps,
        int warmupSteps,
        long tokensPerStep,
        double wallSeconds,
        double cpuSeconds,
        double tokensPerSecond,
        List<Double> losses,
        List<Double> validationLosses,
        List<Integer> validationSteps,
        List<Double> stepWallSeconds,
        boolean warmupSettled,
        long modelFlopsPerToken,
        Map<String, Long> opNanos,
        int groupItems) {

    public Training {
        losses = List.copyOf(losses);
        validationLosses = List.copyOf(validationLosses);
        validationSteps = List.copyOf(validationSteps);
        stepWallSeconds = List.copyOf(stepWallSeconds);
        opNanos = opNanos == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(opNanos));
    }

    /** Without the FLOP count and the profile (tests, older callers). */
    public Training(int steps, int warmupSteps, long tokensPerStep, double wallSeconds, double cpuSeconds,
                    double tokensPerSecond, List<Double> losses, List<Double> validationLosses,
                    List<Integer> validationSteps, List<Double> stepWallSeconds, boolean warmupSettled) {
        this(steps, warmupSteps, tokensPerStep, wallSeconds, cpuSeconds, tokensPerSecond, losses, validationLosses,
                validationSteps, stepWallSeconds, warmupSettled, 0, Map.of(), 1);
    }

    /** Model FLOPs per wall second of the measured steps; NaN when the count was not recorded. */
    public double modelFlopsPerSecond() {
        return modelFlopsPerToken > 0 ? modelFlopsPerToken * tokensPerSecond : Double.NaN;
    }

    /**
     * Model-FLOP utilisation: {@link #modelFlopsPerSecond()} over {@code peakFlopsPerCore × cores}, the FMA peak
     * one core measured times the cores the run could use. NaN when either figure is missing.
     */
    public double mfu(double peakFlopsPerCore, int cores) {
        return peakFlopsPerCore > 0 && cores > 0 ? modelFlopsPerSecond() / (peakFlopsPerCore * cores) : Double.NaN;
    }

    public double initialLoss() {
        return losses.isEmpty() ? Double.NaN : losses.get(0);
    }

    public double finalLoss() {
        return losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
    }
}
