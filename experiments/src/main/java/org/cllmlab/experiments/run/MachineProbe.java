package org.cllmlab.experiments.run;

import org.cllmlab.core.memory.Bandwidth;
import org.cllmlab.core.results.MachineFigures;

/** Measures the machine's ceilings in this JVM: the reduction loop's memory bandwidth (and, where known, the FMA peak). */
public final class MachineProbe {

    private MachineProbe() {
    }

    /** With {@code threads} threads for the parallel figures. */
    public static MachineFigures measure(int threads) {
        Bandwidth.Result bw = Bandwidth.measure(threads);
        return new MachineFigures(Double.NaN, Double.NaN, bw.oneThreadBytesPerSecond(), bw.allBytesPerSecond(),
                bw.threads());
    }
}
