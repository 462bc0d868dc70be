package org.cllmlab.core.train;

/** Thrown inside a worker when its step was aborted because another worker failed. */
public final class StepAbortedException extends RuntimeException {
    public StepAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
