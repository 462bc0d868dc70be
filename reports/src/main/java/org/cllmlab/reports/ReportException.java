package org.cllmlab.reports;

/**
 * A report could not be made from the given directory. The message is one line and names the file or
 * directory at fault, so that a command line can print it as is.
 */
public final class ReportException extends RuntimeException {
    public ReportException(String message) {
        super(message);
    }

    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
