package org.cllmlab.reports;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's JVM flags as provenance shows them. Values that differ from one process to the next, such as the
 * suite runner's process id that every forked run is given ({@code -Dcllmlab.parentPid=12345}), are replaced
 * by {@link #PER_PROCESS}, so that flag sets that differ only there are listed once.
 */
final class JvmFlags {

    /** What stands in for a per-process value. */
    static final String PER_PROCESS = "<pid>";

    /** A system property whose name ends in "pid" (any case) set to a number: a process id. */
    private static final Pattern PROCESS_ID = Pattern.compile("(-D[^=]*(?i:pid)=)\\d+");

    private JvmFlags() {
    }

    /** The flags joined by spaces, per-process values replaced; "(none)" for none. */
    static String shown(List<String> flags) {
        if (flags.isEmpty()) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder();
        for (String f : flags) {
            Matcher m = PROCESS_ID.matcher(f);
            out.append(out.isEmpty() ? "" : " ").append(m.matches() ? m.group(1) + PER_PROCESS : f);
        }
        return out.toString();
    }
}
