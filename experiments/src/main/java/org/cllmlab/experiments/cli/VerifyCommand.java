package org.cllmlab.experiments.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cllmlab.strategies.Plugins;
import org.cllmlab.strategies.Registries;
import org.cllmlab.strategies.contract.StrategyContract;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./lab verify [NAME...]}: the strategy contract on named strategies, built-in or from plug-in jars.
 * The checks are {@link StrategyContract}'s, the same the project's own contract test runs.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        header = "Check that strategies keep the contract, hunting for races on purpose.",
        description = {"For 1 to 63 workers in both batch modes the "
                + "gradient equals the single-threaded reference; the fast kernels change nothing; twenty steps "
                + "follow the reference's loss curve; a failing worker stops the step within a second and leaves "
                + "no thread parked; 63 workers finish on this machine's cores; and a bounded hunt for data races "
                + "starts workers together on purpose, so that an unprotected shared update is caught every time.",
                "Prints one line per check. Exit code 0 when every check passed, 1 when one failed (the line "
                        + "names the check, the worker count and the largest difference), 2 for bad input."})
public final class VerifyCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "NAME",
            description = "Strategies to verify (default: every strategy the plug-ins bind, or every registered "
                    + "strategy when no plug-in is named).")
    List<String> names = new ArrayList<>();

    @Option(names = "--race-seconds", paramLabel = "S", defaultValue = "4",
            description = "How long the race hunt runs per strategy (default: ${DEFAULT-VALUE}).")
    double raceSeconds;

    @Option(names = "--check", paramLabel = "NAME", split = ",",
            description = "Run only these checks: gradient, kernels, loss curve, failure, 63 workers, races "
                    + "(default: all).")
    List<String> only = new ArrayList<>();

    @Mixin
    LabOptions lab;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!(raceSeconds > 0) || raceSeconds > 3600) {
            throw new UserError("--race-seconds: " + raceSeconds + "; expected a number of seconds from 0 to 3600");
        }
        Registries r = lab.registries();
        List<String> todo = new ArrayList<>(names);
        if (todo.isEmpty()) {
            for (String n : r.strategies().names()) {
                if (r.plugins().isEmpty() || r.strategies().origin(n) != null) {
                    todo.add(n);
                }
            }
        }
        for (String n : todo) {
            r.strategies().require(n);
        }
        for (String c : only) {
            if (!StrategyContract.CHECKS.contains(c)) {
                throw new UserError("--check: '" + c + "' is unknown; expected one of "
                        + String.join(", ", StrategyContract.CHECKS));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        StrategyContract contract = new StrategyContract(r);
        Duration budget = Duration.ofMillis(Math.round(raceSeconds * 1000));
        List<String> failures = new ArrayList<>();
        for (String name : todo) {
            Plugins.Plugin origin = r.strategies().origin(name);
            out.printf("verify %s%s%n", name, origin == null ? " (built in)"
                    : " (plug-in " + origin.name() + ", sha256 " + origin.sha256().substring(0, 12) + "…)");
            out.printf("  %-11s %-22s %-6s %-11s %7s  %s%n", "check", "setting", "result", "max |diff|", "seconds",
                    "detail");
            out.flush();
            StrategyContract.Report report = contract.verify(name, budget, only, res -> {
                out.printf(Locale.ROOT, "  %-11s %-22s %-6s %-11s %7.2f  %s%n", res.check(), res.setting(),
                        res.passed() ? "ok" : "FAILED", Double.isNaN(res.maxDifference()) ? "-"
                                : String.format(Locale.ROOT, "%.2e", res.maxDifference()), res.seconds(), res.detail());
                out.flush();
            });
            report.results().stream().filter(res -> !res.passed()).findFirst().ifPresent(res -> failures.add(
                    name + " failed '" + res.check() + "' (" + res.setting() + "): " + res.detail()));
        }
        PrintWriter err = spec.commandLine().getErr();
        if (!failures.isEmpty()) {
            failures.forEach(f -> err.println("verify: " + f));
            err.flush();
            return ExitCodes.RUN_FAILED;
        }
        out.printf("verify: %d strateg%s kept the contract%n", todo.size(), todo.size() == 1 ? "y" : "ies");
        out.flush();
        return ExitCodes.OK;
    }
}
