package org.cllmlab.experiments.cli;

/**
 * The CLI's exit codes (also listed in the README).
 * <ul>
 *   <li>0: success;</li>
 *   <li>1: a run failed (training error, a worker threw) or, for {@code run}, some runs of the suite failed;</li>
 *   <li>2: bad input: an unknown or malformed flag, spec, corpus or result directory;</li>
 *   <li>3: no JDK 21+ found (the {@code ./lab} launcher);</li>
 *   <li>4: the build failed (the {@code ./lab} launcher);</li>
 *   <li>130: interrupted.</li>
 * </ul>
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
