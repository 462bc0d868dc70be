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
            return "";
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
}
