package org.cllmlab.core.run;

/** How a step's batch relates to the workers (DESIGN §6). */
public enum BatchMode implements Identified {
    /** A fixed global batch of {@code batch} items, shared out among the workers (strong scaling). */
    GLOBAL,
    /** Each worker trains a whole batch; one optimizer step per {@code W} batches (weak scaling). */
    PER_WORKER,
    /**
     * One item per worker per step: every worker is busy in every step, whatever the worker count, and the
     * step's batch is {@code W} items (the phases suite's mode at the original's 63 workers).
     */
    PER_WORKER_ITEM;

    /** Items in one step for {@code batch} (the preset's global batch) and {@code workers}. */
    public int itemsPerStep(int batch, int workers) {
        return switch (this) {
            case GLOBAL -> batch;
            case PER_WORKER -> Math.multiplyExact(batch, workers);
            case PER_WORKER_ITEM -> workers;
        };
    }

    public static BatchMode parse(String id) {
        return Identified.parse(BatchMode.class, "batchMode", id);
    }
}
