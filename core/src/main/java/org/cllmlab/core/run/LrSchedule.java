package org.cllmlab.core.run;

/** Learning-rate schedules over all steps of a run, warm-up included. */
public enum LrSchedule implements Identified {
    /** The peak rate throughout. */
    CONSTANT,
    /**
     * A linear warm-up over the first 5% of steps (at least one), then a cosine decay to a tenth of the
     * peak at the last step.
     */
    COSINE;

    /** The learning rate of optimizer step {@code step} (0-based) out of {@code total}, for peak {@code peak}. */
    public double rate(double peak, int step, int total) {
        if (this == CONSTANT) {
            return peak;
        }
        int warm = Math.max(1, total / 20);
        if (step < warm) {
            return peak * (step + 1) / warm;
        }
        double progress = total - warm <= 1 ? 1.0 : (double) (step - warm) / (total - warm - 1);
        return peak * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, progress))));
    }

    public static LrSchedule parse(String id) {
        return Identified.parse(LrSchedule.class, "lrSchedule", id);
    }
}
