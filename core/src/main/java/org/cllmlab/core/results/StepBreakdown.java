package org.cllmlab.core.results;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a measured step's wall time went, per step: the compute phase split into the matrix products and the
 * other operations of the passes, the gradient reduction, the optimizer update, and the rest (preparing the
 * batch, the time between the phases). Derived from what a run recorded: the phases' wall time
 * ({@link Contention.Phases}) and the passes' worker time by family of operation ({@link Training#opNanos()}).
 * The compute phase's wall time is split in the proportions of the passes' worker time, so its lock waits and
 * idle workers are spread over the two parts (the contention figures say how much there was of them).
 *
 * @param stepSeconds      wall time per measured step
 * @param matrixProducts   seconds per step in the matrix products
 * @param otherOps         seconds per step in the passes' other operations (softmax, norms, GELU, the loss ...)
 * @param reduction        seconds per step in the gradient reduction
 * @param optimizer        seconds per step in clipping and the optimizer update
 * @param rest             seconds per step in everything else
 */
public record StepBreakdown(double stepSeconds, double matrixProducts, double otherOps, double reduction,
                            double optimizer, double rest) {

    /** The breakdown of a run, or null when it recorded no phases or no profile (older result files). */
    public static StepBreakdown of(Training t, Contention c) {
        if (t == null || c == null || c.phases() == null || t.opNanos().isEmpty() || t.steps() == 0) {
            return null;
        }
        Contention.Phases p = c.phases();
        double steps = t.steps();
        double step = t.wallSeconds() / steps;
        double compute = p.computeNanos() / 1e9 / steps;
        long products = t.opNanos().getOrDefault("matrix-products", 0L);
        long passes = t.opNanos().values().stream().mapToLong(Long::longValue).sum();
        double productSeconds = passes == 0 ? 0 : compute * products / passes;
        double other = compute - productSeconds;
        double reduction = p.reductionNanos() / 1e9 / steps;
        double optimizer = p.updateNanos() / 1e9 / steps;
        double rest = Math.max(0, step - productSeconds - other - reduction - optimizer);
        return new StepBreakdown(step, productSeconds, other, reduction, optimizer, rest);
    }

    /** The parts under stable names, in seconds per step. */
    public Map<String, Double> byName() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("matrix-products", matrixProducts);
        m.put("other-ops", otherOps);
        m.put("reduction", reduction);
        m.put("optimizer", optimizer);
        m.put("rest", rest);
        return m;
    }
}
