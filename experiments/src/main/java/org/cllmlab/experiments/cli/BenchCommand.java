package org.cllmlab.experiments.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./lab bench [PATTERN]}: the JMH benchmarks (kernels, peak FLOP/s, one training step per
 * strategy, the gradient reduction), with JSON results that {@code ./lab report} reads.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Run the JMH benchmarks of matrix products, FMA peak, training steps and reductions.",
        description = {"Run the JMH benchmarks whose names match PATTERN (a regular expression; all by default):",
                "GemmBenchmark, PeakFlopsBenchmark, TrainingStepBenchmark, ReductionBenchmark. Results go to",
                "OUT/jmh-<time>.json (JMH's JSON), which ./lab report OUT renders as a table.",
                "Any other option is passed to JMH, e.g. -p strategy=lock.global -f 2 -i 10."})
public final class BenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "PATTERN", description = "Benchmarks to run (default: all).")
    String pattern;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results/bench",
            description = "Where the JSON results go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "One fork, 2 warm-up and 3 measured iterations of 1 s: a first look, "
            + "with wide error bars.")
    boolean quick;

    @Unmatched
    List<String> jmhArgs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Path file = stampedFile(out, "jmh");
        List<String> args = new ArrayList<>();
        if (pattern != null) {
            args.add(pattern);
        }
        args.addAll(List.of("-rf", "json", "-rff", file.toString()));
        if (quick) {
            args.addAll(List.of("-f", "1", "-wi", "2", "-i", "3", "-w", "1s", "-r", "1s"));
        }
        args.addAll(forkJvmArgs());
        args.addAll(jmhArgs);
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            throw new UserError("bench: " + e.getMessage());
        }
        try {
            new Runner(options).run();
        } catch (RunnerException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.RUN_FAILED;
        }
        spec.commandLine().getOut().println("wrote " + file);
        return ExitCodes.OK;
    }

    /** {@code dir/PREFIX-<yyyyMMdd-HHmmss>.json}: a result file named by when its run started. */
    static Path stampedFile(Path dir, String prefix) {
        return dir.resolve(prefix + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + ".json");
    }

    /** The flags this JVM runs with that the benchmark forks need too (JDK 24+'s Unsafe access, the Vector API). */
    static List<String> forkJvmArgs() {
        List<String> extra = new ArrayList<>();
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--sun-misc-unsafe-memory-access") || a.startsWith("--add-modules")) {
                extra.add(a);
            }
        }
        return extra.isEmpty() ? List.of() : List.of("-jvmArgsAppend", String.join(" ", extra));
    }
}
