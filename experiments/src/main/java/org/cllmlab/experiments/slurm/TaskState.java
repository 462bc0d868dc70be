package org.cllmlab.experiments.slurm;

import java.util.Objects;

/**
 * One task of a job array (or a job without an array) as {@code squeue} shows it.
 *
 * @param jobId  the array's job id (the job's id for a job without an array)
 * @param task   the array index; {@code null} for a job without an array
 * @param state  Slurm's state, e.g. {@code PENDING}, {@code RUNNING}, {@code COMPLETING}
 * @param reason why it is in that state, e.g. {@code Resources}, {@code JobArrayTaskLimit}; {@code None} when
 *               there is nothing to say
 */
public record TaskState(String jobId, Integer task, String state, String reason) {

    public TaskState {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
    }

    /** Waiting to start: pending, or held back for a reason that may pass (configuring, suspended). */
    public boolean pending() {
        return SlurmText.pending(state);
    }

    /** Started and not yet finished (completing counts: its processes may still be ending). */
    public boolean running() {
        return SlurmText.running(state);
    }

    /** {@code 123_4}, or {@code 123} for a job without an array. */
    public String id() {
        return task == null ? jobId : jobId + "_" + task;
    }
}
