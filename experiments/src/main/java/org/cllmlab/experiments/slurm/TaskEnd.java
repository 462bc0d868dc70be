package org.cllmlab.experiments.slurm;

import java.util.Objects;

/**
 * How one task of a job array (or a job without an array) ended, as far as Slurm still knows it.
 *
 * @param jobId    the array's job id (the job's id for a job without an array)
 * @param task     the array index; {@code null} for a job without an array
 * @param state    Slurm's state, e.g. {@code COMPLETED}, {@code FAILED}, {@code CANCELLED}, {@code TIMEOUT},
 *                 {@code OUT_OF_MEMORY}, {@code NODE_FAIL}; {@link #UNKNOWN} when Slurm no longer knows the
 *                 task; a state that is not final ({@code PENDING}, {@code RUNNING}) when it has not ended yet
 * @param reason   Slurm's reason, e.g. {@code TimeLimit}, {@code NonZeroExitCode}; {@code None} when it gives
 *                 none; for {@link #UNKNOWN}, why nothing is known
 * @param exitCode the exit status of the task's script, {@code null} when unknown
 * @param signal   the signal that ended it ({@code 0} for none), {@code null} when unknown
 * @param source   where this came from
 */
public record TaskEnd(String jobId, Integer task, String state, String reason, Integer exitCode, Integer signal,
                      Source source) {

    /** The state of a task that Slurm does not know (any more). */
    public static final String UNKNOWN = "UNKNOWN";

    /** Where an end state came from. */
    public enum Source {
        /** {@code sacct}: Slurm's accounting database, which keeps every job. */
        SACCT,
        /** {@code scontrol show job}: the controller's memory, which drops a job {@code MinJobAge} after it ends. */
        SCONTROL,
        /** Neither knew the task. */
        NONE
    }

    public TaskEnd {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(source, "source");
        reason = reason == null ? "" : reason;
    }

    /** A task that neither {@code sacct} nor {@code scontrol} knows; {@code why} says why. */
    public static TaskEnd unknown(String jobId, Integer task, String why) {
        return new TaskEnd(jobId, task, UNKNOWN, why, null, null, Source.NONE);
    }

    /** {@code 123_4}, or {@code 123} for a job without an array. */
    public String id() {
        return task == null ? jobId : jobId + "_" + task;
    }

    /** Ended: not pending, running or completing any more, and known. */
    public boolean finished() {
        return !state.equals(UNKNOWN) && !SlurmText.pending(state) && !SlurmText.running(state);
    }

    /** Completed with exit status 0. */
    public boolean succeeded() {
        return state.equals("COMPLETED") && Integer.valueOf(0).equals(exitCode);
    }

    /**
     * One line for a failure record, e.g. {@code "Slurm: TIMEOUT (TimeLimit), signal 15"},
     * {@code "Slurm: FAILED (NonZeroExitCode), exit status 3"} or
     * {@code "Slurm: CANCELLED, exit status 143 (128 + signal 15)"}.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder("Slurm: ").append(state);
        if (!reason.isEmpty() && !reason.equals("None")) {
            sb.append(" (").append(reason).append(')');
        }
        if (signal != null && signal != 0) {
            sb.append(", signal ").append(signal);
        } else if (exitCode != null && exitCode != 0) {
            sb.append(", exit status ").append(exitCode);
            if (exitCode > 128 && exitCode < 160) {
                // What a program that catches the signal to clean up (a JVM) exits with.
                sb.append(" (128 + signal ").append(exitCode - 128).append(')');
            }
        }
        return sb.toString();
    }
}
