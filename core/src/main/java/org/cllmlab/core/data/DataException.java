package org.cllmlab.core.data;

/**
 * A problem with the user's data or data settings: a missing or malformed corpus file, too little text
 * for one batch, an unknown tokenizer name. The message is one line that names the field or file, the
 * value found and what was expected; the command line prints only the message, never a stack trace.
 */
public final class DataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
