package org.cllmlab.experiments.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cllmlab.core.kernel.FmaPeak;
import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.kernel.VectorKernels;
import org.cllmlab.core.results.Results;
import org.cllmlab.experiments.bench.KernelEfficiency;
import org.cllmlab.experiments.run.ProvenanceProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./lab efficiency}: the {@code seed} preset's matrix products as a share of this machine's FMA
 * peak, and the two-core FMA ceiling, measured interleaved in one JVM ({@link KernelEfficiency}).
 */
@Command(name = "efficiency", mixinStandardHelpOptions = true,
        header = "Time the seed preset's matrix products as a share of this core's measured FMA peak.",
        description = {"Time the seed preset's matrix products under each kernel, interleaved with the machine's",
                "register FMA peak (one thread), and quote each as a share of the peak measured beside it:",
                "median and range over the rounds. Also measures the two-core ceiling (the FMA loop on two",
                "threads over one). Prints a table and writes OUT/efficiency-<time>.json."})
public final class EfficiencyCommand implements Callable<Integer> {

    @Option(names = "--kernels", split = ",", paramLabel = "NAME[,NAME...]", defaultValue = "blocked,vector",
            description = "Kernels to time (default: ${DEFAULT-VALUE}).")
    List<String> kernels;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "9",
            description = "Measured rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--slice-ms", paramLabel = "MS", defaultValue = "150",
            description = "How long each single measurement runs, in ms of wall time (default: ${DEFAULT-VALUE}).")
    int sliceMillis;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results/bench",
            description = "Where the JSON result goes (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1) {
            throw new UserError("--rounds: " + rounds + " is not a round count; expected a whole number >= 1");
        }
        if (sliceMillis < 1) {
            throw new UserError("--slice-ms: " + sliceMillis + " is too short; expected a whole number of ms >= 1");
        }
        List<Kernels> ks = new ArrayList<>();
        for (String name : kernels) {
            try {
                ks.add(Kernels.byName(name.trim()));
            } catch (IllegalArgumentException e) {
                throw new UserError("--" + e.getMessage());
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf("efficiency: warming up, then %d rounds of %d ms slices%n", rounds, sliceMillis);
        err.flush();
        KernelEfficiency.Result r = new KernelEfficiency(ks, rounds, sliceMillis).run(i -> {
            err.printf("  round %d/%d%n", i, rounds);
            err.flush();
        });
        // The in-process peak that ./lab train's utilisation divides by: the best of many short slices.
        FmaPeak.Peak best = FmaPeak.measure(true);
        PrintWriter o = spec.commandLine().getOut();
        KernelEfficiency.table(r).forEach(o::println);
        o.printf("FMA peak, best 3 ms slice (FmaPeak, as ./lab train measures it): %.1f GFLOP/s one thread, %.1f two"
                + " (%.2fx)%n", best.singleThreadFlops() / 1e9, best.twoThreadFlops() / 1e9, best.twoThreadRatio());
        if (Kernels.vectorApiAvailable()) {
            o.println("vector kernel: " + VectorKernels.describe());
        }
        Files.createDirectories(out);
        Path file = BenchCommand.stampedFile(out, "efficiency");
        var node = Results.mapper().createObjectNode();
        node.set("provenance", Results.mapper().valueToTree(ProvenanceProbe.probe(1, String.join(",", kernels))));
        node.set("result", Results.mapper().valueToTree(r));
        node.set("fmaPeak", Results.mapper().valueToTree(best));
        if (Kernels.vectorApiAvailable()) {
            node.put("vectorKernel", VectorKernels.describe());
        }
        Results.writeAtomically(file, Results.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        o.println("wrote " + file);
        o.flush();
        return ExitCodes.OK;
    }
}
