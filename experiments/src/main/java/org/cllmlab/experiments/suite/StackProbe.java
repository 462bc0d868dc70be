package org.cllmlab.experiments.suite;

import java.util.List;
import org.cllmlab.core.data.TokenizerKind;
import org.cllmlab.core.model.Preset;
import org.cllmlab.core.run.BatchMode;
import org.cllmlab.core.run.LrSchedule;
import org.cllmlab.core.run.RunSpec;
import org.cllmlab.experiments.run.MeasuredRun;
import org.cllmlab.strategies.Registries;

/**
 * The main class of a probe run: a whole measured run at the {@code tiny} preset (the registries, the spec's
 * JSON, the data, two platform workers with the JVM's default stack, a step, the memory probes) in a JVM
 * started with a run's options. It exits 0 when the run lived; a stack too small for the code ends it
 * with a {@link StackOverflowError} and exit 1. {@link JvmOptionsCheck} uses it to refuse, before a suite
 * starts, a stack size that a run cannot live with.
 */
public final class StackProbe {

    private StackProbe() {
    }

    public static void main(String[] args) {
        try {
            Registries registries = Registries.create();
            RunSpec spec = new RunSpec("stack-probe", null, RunSpec.Shape.of(Preset.TINY),
                    new RunSpec.Data(null, 8192, TokenizerKind.WORD),
                    new RunSpec.Parallelism("lockfree.thread-local", "platform-default", "lazy", "right-sized", 2,
                            BatchMode.GLOBAL),
                    new RunSpec.Schedule(1, 0, 0, 0, 3e-3, LrSchedule.CONSTANT, 1.0, 0, 1), "reference", 1, 1,
                    List.of(), 0);
            Specs.mapper().readTree(Specs.mapper().writeValueAsBytes(org.cllmlab.core.run.RunSpecJson.toJson(spec)));
            MeasuredRun.execute(spec, registries, "stack-probe", "stack-probe", 1, null);
            System.out.println("stack probe: ok");
            System.exit(0);
        } catch (StackOverflowError e) {
            System.out.println("stack probe: StackOverflowError");
            System.exit(1);
        } catch (Throwable t) {
            boolean overflow = false;
            for (Throwable c = t; c != null; c = c.getCause()) {
                overflow |= c instanceof StackOverflowError;
            }
            System.out.println("stack probe: " + (overflow ? "StackOverflowError" : t));
            System.exit(1);
        }
    }
}
