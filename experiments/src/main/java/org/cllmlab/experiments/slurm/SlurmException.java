package org.cllmlab.experiments.slurm;

import java.io.IOException;

/**
 * A Slurm command failed or printed what it should not: one line naming the command, what it printed and
 * what was expected.
 */
public final class SlurmException extends IOException {

    public SlurmException(String message) {
        super(message);
    }

    public SlurmException(String message, Throwable cause) {
        super(message, cause);
    }
}
