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
}
