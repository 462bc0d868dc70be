package org.cllmlab.experiments.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.cllmlab.core.data.DataException;
import org.cllmlab.core.train.StepFailedException;
import org.cllmlab.core.train.ThreadLimits;
import org.cllmlab.core.train.TrainingJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./lab} command line. */
@Command(name = "lab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "cllm-lab: multithreaded CPU training of a small transformer LM, with honest memory and "
                + "speedup measurements of interchangeable concurrency strategies.",
        subcommands = {TrainCommand.class, RunCommand.class, ReportCommand.class, MemoryCommand.class, BenchCommand.class,
                EfficiencyCommand.class, VerifyCommand.class, ListCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok; 1 a run failed; 2 bad input; 3 no JDK 21+ (launcher); "
                + "4 build failed (launcher); 130 interrupted."})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; see ./lab --help");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this). */
    public static int execute(String... args) {
        return execute(Map.of(), args);
    }

    /**
     * As {@link #execute(String...)}, with {@code environment} added to the environment of the Slurm commands
     * that {@code run --slurm} runs (e.g. {@code SLURM_CONF} for a cluster other than this machine's).
     */
    public static int execute(Map<String, String> environment, String... args) {
        CommandLine cli = commandLine();
        for (Object mixin : cli.getSubcommands().get("run").getMixins().values()) {
            if (mixin instanceof SlurmOptions slurm) {
                slurm.environment = Map.copyOf(environment);
            }
        }
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // Errors are not the commands' exceptions: picocli lets them through. Still one line.
            PrintWriter err = cli.getErr();
            err.println("error: " + Failures.describe(e));
            err.flush();
            return ExitCodes.RUN_FAILED;
        }
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
                err.println("see: ./lab " + qualifiedName(ex.getCommandLine()) + "--help");
            }
            return ExitCodes.BAD_INPUT;
        });
        return cli;
    }

    private static String qualifiedName(CommandLine cl) {
        String name = cl.getCommandSpec().qualifiedName(" ");
        return name.startsWith("lab") ? name.substring(3).trim() + (name.length() > 3 ? " " : "") : name + " ";
    }

    /** One line for every failure; the stack trace only with {@code --verbose}. */
    private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = cl.getCommandSpec().mixins().values().stream()
                .map(m -> m.userObject()).anyMatch(o -> o instanceof LabOptions l && l.verbose());
        int code;
        if (ex instanceof UserError || ex instanceof DataException || ex instanceof IllegalArgumentException) {
            err.println("error: " + oneLine(ex.getMessage()));
            code = ExitCodes.BAD_INPUT;
        } else if (causedBy(ex, OutOfMemoryError.class) || causedBy(ex, StackOverflowError.class)) {
            err.println("error: " + Failures.describe(ex));
            code = ExitCodes.RUN_FAILED;
        } else if (ex instanceof StepFailedException || ex instanceof TrainingJob.TrainingDivergedException
                || ex instanceof ThreadLimits.LimitException) {
            err.println("error: " + oneLine(ex.getMessage()));
            code = ExitCodes.RUN_FAILED;
        } else {
            err.println("error: " + Failures.describe(ex));
            code = ExitCodes.RUN_FAILED;
        }
        if (verbose) {
            ex.printStackTrace(err);
        } else if (code == ExitCodes.RUN_FAILED && !(ex instanceof TrainingJob.TrainingDivergedException)
                && !(ex instanceof ThreadLimits.LimitException) && !causedBy(ex, OutOfMemoryError.class)) {
            err.println("(run again with --verbose for the stack trace)");
        }
        err.flush();
        return code;
    }

    static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    static String oneLine(String s) {
        return s == null ? "(no message)" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"cllm-lab " + (v == null ? "dev" : v), "JVM: " + Runtime.version()};
        }
    }
}
