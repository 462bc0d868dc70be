package org.cllmlab.experiments.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks the JVM itself whether it accepts a run's options, by starting {@code java <options> -version}
 * once per distinct list, before any run starts. A stack size below the JVM's minimum is reported
 * with the minimum the JVM names.
 */
public final class JvmOptionsCheck {

    private static final Pattern STACK_MIN =
            Pattern.compile("The Java thread stack size specified is too small\\. Specify at least (\\S+)");
    private static final Map<List<String>, String> VERDICTS = new ConcurrentHashMap<>();

    private JvmOptionsCheck() {
    }

    /**
     * @throws IllegalArgumentException naming the option and what the JVM allows, if the JVM refuses to start
     */
    public static void check(List<String> jvmOptions) {
        String verdict = VERDICTS.computeIfAbsent(List.copyOf(jvmOptions), JvmOptionsCheck::probe);
        if (!verdict.isEmpty()) {
            throw new IllegalArgumentException(verdict);
        }
    }

    private static String probe(List<String> options) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Forks.javaExecutable());
        cmd.addAll(options);
        cmd.addAll(Forks.runnerFlags());
        cmd.add("-version");
        String output;
        int exit;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "jvmOptions: " + options + "; the JVM did not answer 'java -version' within 60 s";
            }
            exit = p.exitValue();
        } catch (IOException e) {
            return "jvmOptions: could not start " + cmd.get(0) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "jvmOptions: interrupted while checking " + options;
        }
        if (exit == 0) {
            return stackVerdict(options);
        }
        Matcher m = STACK_MIN.matcher(output);
        if (m.find()) {
            String xss = options.stream().filter(o -> o.startsWith("-Xss") || o.startsWith("-XX:ThreadStackSize"))
                    .reduce((a, b) -> b).orElse("-Xss");
            return "jvmOptions: '" + xss + "' is below this JVM's minimum thread stack size; expected at least "
                    + m.group(1) + " (the JVM said: " + m.group(0) + ")";
        }
        String first = output.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("exit code " + exit);
        return "jvmOptions: " + options + " are refused by " + cmd.get(0) + ": " + first;
    }

    /** Stack sizes below this are probed with a whole run; at or above it a run has always lived. */
    static final long PROBE_BELOW = 1024 * 1024;
    /** The sizes tried, in order, for the smallest one a probe run lives with. */
    static final long[] CANDIDATES = {192 << 10, 256 << 10, 384 << 10, 512 << 10, 768 << 10, 1024 << 10};
    private static final Pattern XSS = Pattern.compile("-Xss(\\d+)([kKmMgG]?)");

    /**
     * A stack size the JVM accepts can still be too small for a run (the JVM's own floor is far below what
     * Guice, Jackson and the training step need): below {@link #PROBE_BELOW} a probe run
     * ({@link StackProbe}) tries it, and if it overflows, finds the smallest size that lives.
     */
    private static String stackVerdict(List<String> options) {
        String xss = options.stream().filter(o -> XSS.matcher(o).matches()).reduce((a, b) -> b).orElse(null);
        if (xss == null) {
            return "";
        }
        Matcher m = XSS.matcher(xss);
        m.matches();
        long bytes = Long.parseLong(m.group(1)) << switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (bytes >= PROBE_BELOW || probeLives(options)) {
            return "";
        }
        for (long candidate : CANDIDATES) {
            if (candidate <= bytes) {
                continue;
            }
            List<String> tried = new ArrayList<>(options);
            tried.replaceAll(o -> o.equals(xss) ? "-Xss" + (candidate >> 10) + "k" : o);
            if (probeLives(tried)) {
                return "jvmOptions: '" + xss + "' is too small for a run (a probe run overflowed its stack); expected"
                        + " at least -Xss" + (candidate >> 10) + "k, the smallest size a probe run lived with here";
            }
        }
        return "jvmOptions: '" + xss + "' is too small for a run (a probe run overflowed its stack); expected -Xss1m or"
                + " more";
    }

    /** Whether a probe run lives with {@code options}. */
    private static boolean probeLives(List<String> options) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Forks.javaExecutable());
        cmd.addAll(options);
        cmd.addAll(Forks.runnerFlags());
        cmd.add("-cp");
        cmd.add(Forks.classPath());
        cmd.add(StackProbe.class.getName());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0 && out.contains("stack probe: ok");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
