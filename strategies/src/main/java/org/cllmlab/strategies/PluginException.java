package org.cllmlab.strategies;

/**
 * A plug-in jar that cannot be used: missing, not a jar, not a plug-in, or its module failed. The message is
 * one line that names the jar and the cause; the command line prints it and exits with "bad input".
 */
public final class PluginException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
