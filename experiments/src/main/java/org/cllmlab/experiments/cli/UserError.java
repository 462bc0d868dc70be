package org.cllmlab.experiments.cli;

/** Bad input from the user: printed as one line, exit code {@link ExitCodes#BAD_INPUT}, no stack trace. */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
