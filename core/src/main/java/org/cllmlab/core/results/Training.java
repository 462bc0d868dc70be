package org.cllmlab.core.results;

import java.util.List;

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
        boolean warmupSettled) {

    public Training {
        losses = List.copyOf(losses);
        validationLosses = List.copyOf(validationLosses);
        validationSteps = List.copyOf(validationSteps);
        stepWallSeconds = List.copyOf(stepWallSeconds);
    }

    public double initialLoss() {
        return losses.isEmpty() ? Double.NaN : losses.get(0);
    }

    public double finalLoss() {
        return losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
    }
}
