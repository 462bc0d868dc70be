package org.cllmlab.core.results;

import java.util.Objects;

/**
 * The frozen outcome of one run, written as one JSON file. A failed run keeps its config and
 * provenance and says why; its measurements are null.
 *
 * @param schema     result file format version
 * @param runId      unique within a suite; also the file name stem
 * @param suite      suite name
 * @param status     {@code ok} or {@code failed}
 * @param failure    reason for a failed run, else null
 * @param config     what the run was asked to do
 * @param provenance where it ran
 * @param training   training figures (null if failed)
 * @param memory     memory figures (null if failed)
 * @param contention concurrency figures (null if failed)
 * @param machine    the machine's ceilings, measured in the run's JVM before training (null if not measured)
 */
public record RunResult(int schema, String runId, String suite, String status, String failure, RunConfig config,
                        Provenance provenance, Training training, MemoryReport memory, Contention contention,
                        MachineFigures machine) {

    public static final int SCHEMA = 1;
    public static final String OK = "ok";
    public static final String FAILED = "failed";

    public RunResult {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        if (!OK.equals(status) && !FAILED.equals(status)) {
            throw new IllegalArgumentException("status: '" + status + "'; expected ok or failed");
        }
    }

    public boolean ok() {
        return OK.equals(status);
    }

    /**
     * The cores the run's workers could use: the workers, at most the processors its JVM saw (after any
     * {@code cpus} pinning); 0 when not recorded.
     */
    public int coresUsed() {
        int cores = provenance == null ? 0 : provenance.cores();
        int workers = config == null ? 0 : config.workers();
        return cores <= 0 || workers <= 0 ? 0 : Math.min(cores, workers);
    }

    /**
     * Model-FLOP utilisation of the measured steps: the model's FLOPs per second over the FMA peak one core
     * measured in this run times {@link #coresUsed()}; NaN when a figure is missing (older result files).
     */
    public double mfu() {
        return training == null || machine == null ? Double.NaN
                : training.mfu(machine.fmaPeakFlops(), coresUsed());
    }
}
