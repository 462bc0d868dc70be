package org.cllmlab.core.spi;

/**
 * The one signal that a step was aborted: thrown inside a worker that was waiting (for a lock, a slot,
 * a queue) when the engine stopped the step because another worker failed or the run was interrupted.
 * Strategies throw it when an interruptible wait of theirs is interrupted (restoring the interrupt
 * flag first); {@link TimedLock} does so itself. The engine never reports it as the step's cause: the
 * cause is the failure that made it abort.
 */
public final class StepAbortedException extends RuntimeException {

    public StepAbortedException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Restores the calling thread's interrupt flag and returns the signal to throw, for a strategy's
     * own interruptible waits: {@code catch (InterruptedException e) { throw StepAbortedException.of("...", e); }}.
     */
    public static StepAbortedException of(String waitingFor, InterruptedException cause) {
        Thread.currentThread().interrupt();
        return new StepAbortedException("interrupted while waiting for " + waitingFor, cause);
    }
}
