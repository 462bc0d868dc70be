package org.cllmlab.core.train;

/**
 * A training step failed because a worker threw. The cause is the worker's exception; the message
 * names the worker and the item it was processing.
 */
public final class StepFailedException extends RuntimeException {
    public StepFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
