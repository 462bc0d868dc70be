package org.cllmlab.experiments.run;

import org.cllmlab.core.kernel.FmaPeak;
import org.cllmlab.core.memory.Bandwidth;
import org.cllmlab.core.results.MachineFigures;

/**
 * Measures the machine's ceilings in this JVM, before a run trains: the register FMA loop's peak on one
 * thread and the two-thread over one-thread ratio (the most a two-worker speedup can reach here), and the
 * reduction loop's memory bandwidth on one thread and on {@code threads}. About a second in all. A run
 * pinned to one CPU measures the one-thread figures only.
 */
public final class MachineProbe {

    private MachineProbe() {
    }

    /** With {@code threads} threads for the parallel figures (2 on this kind of machine). */
    public static MachineFigures measure(int threads) {
        FmaPeak.Peak peak = FmaPeak.measure(threads >= 2);
        Bandwidth.Result bw = Bandwidth.measure(threads);
        return new MachineFigures(peak.singleThreadFlops(), threads >= 2 ? peak.twoThreadRatio() : Double.NaN,
                bw.oneThreadBytesPerSecond(), bw.allBytesPerSecond(), bw.threads());
    }
}
