package org.cllmlab.experiments.cli;

import java.io.PrintWriter;
import org.cllmlab.core.data.DataException;
import org.cllmlab.core.train.StepFailedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./lab} command line. */
@Command(name = "lab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"cllm-lab: multithreaded CPU training of a small transformer LM, with honest memory and",
                "speedup measurements of interchangeable concurrency strategies."},
        subcommands = {TrainCommand.class, RunCommand.class, ReportCommand.class, MemoryCommand.class, BenchCommand.class,
                EfficiencyCommand.class,
                ListCommand.class, CommandLine.HelpCommand.class},
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
        CommandLine cli = commandLine();
        return cli.execute(args);
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

    private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (ex instanceof UserError || ex instanceof DataException || ex instanceof IllegalArgumentException) {
            err.println("error: " + ex.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        if (ex instanceof StepFailedException) {
            err.println("error: " + ex.getMessage());
            Throwable root = ex.getCause();
            if (root != null) {
                err.println("cause:");
                root.printStackTrace(err);
            }
            return ExitCodes.RUN_FAILED;
        }
        err.println("error: " + ex);
        ex.printStackTrace(err);
        return ExitCodes.RUN_FAILED;
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
