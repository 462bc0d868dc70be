package org.cllmlab.core.kernel;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This machine's fused multiply-add peak, measured in-process in well under a second: the denominator of
 * kernel efficiency and of model-FLOP utilisation ({@link org.cllmlab.core.model.ModelFlops}).
 *
 * <p>The loop is {@value #CHAINS} independent chains of vector FMAs ({@code a = m·c + a}, the accumulator as
 * the addend, as x86's FMA forms want) of the Vector API's preferred species, all in registers: no memory
 * traffic, enough chains to cover the FMA latency of two pipes. Without the Vector API the same loop runs
 * on scalars ({@link Peak#vectorApi()} false), which is the peak the scalar code can reach.
 *
 * <p>On a shared machine the clock and the neighbours move between runs, and interference only ever slows
 * the loop down, so the figure is the <em>best</em> of many short slices (sixty of 3 ms, after about
 * 0.3 s of warm-up for the JIT, most of it the loop's first calls before C2 compiles it). The slices are
 * short on purpose: when other processes want both cores, the scheduler still gives this thread whole
 * slices of a few milliseconds, and the best slice is one of those. The two-thread figure runs the same slices on two threads at once,
 * started together at a barrier, and sums their best: over the single-thread figure it is the most any
 * two-worker speed-up can reach here.
 */
public final class FmaPeak {

    /** Independent FMA chains of the loop. */
    public static final int CHAINS = 12;
    /** Lane-FMAs per chain per call of the loop: about 0.4 ms at 100 GFLOP/s. */
    static final int LANE_ITERS = 1 << 20;

    private static final long WARMUP_NANOS = 80_000_000L;
    private static final long SLICE_NANOS = 3_000_000L;
    private static final int SLICES = 60;
    private static final int TWO_THREAD_SLICES = 40;

    private static volatile float sink;

    private FmaPeak() {
    }

    /**
     * A measured peak.
     *
     * @param singleThreadFlops one thread's best FLOP/s
     * @param twoThreadFlops    two threads' best FLOP/s together, or NaN if not measured
     * @param lanes             floats per vector of the loop (1 without the Vector API)
     * @param vectorApi         whether the loop ran on the Vector API
     * @param nanos             how long the measurement took
     */
    public record Peak(double singleThreadFlops, double twoThreadFlops, int lanes, boolean vectorApi, long nanos) {

        /** Two threads' FMA throughput over one thread's: the two-core ceiling (NaN if not measured). */
        public double twoThreadRatio() {
            return twoThreadFlops / singleThreadFlops;
        }
    }

    /** One thread's peak only (about 0.5 s in a fresh JVM, 0.3 s once warm). */
    public static Peak singleThread() {
        return measure(false);
    }

    /** One thread's peak and, if {@code twoThreads}, two threads' (another 0.15 s). */
    public static Peak measure(boolean twoThreads) {
        long t0 = System.nanoTime();
        boolean vector = Kernels.vectorApiAvailable();
        // Many short calls first, so that the JIT compiles the loop by invocation count instead of running
        // long calls in its slow tiers (where each vector operation allocates), then slices until warm.
        float s = 0;
        for (int i = 0; i < 6_000; i++) {
            s += vector ? VectorFmaLoop.chains(16, 0.999999f, 1e-7f) : scalarChains(1, 0.999999f, 1e-7f);
        }
        sink = s;
        long w0 = System.nanoTime();
        while (System.nanoTime() - w0 < WARMUP_NANOS) {
            slice(vector, SLICE_NANOS / 4);
        }
        double best = 0;
        for (int i = 0; i < SLICES; i++) {
            best = Math.max(best, slice(vector, SLICE_NANOS));
        }
        double two = twoThreads ? twoThreads(vector) : Double.NaN;
        return new Peak(best, two, vector ? VectorFmaLoop.lanes() : 1, vector, System.nanoTime() - t0);
    }

    /** FLOP/s of the loop, called until {@code nanos} have passed. */
    private static double slice(boolean vector, long nanos) {
        long calls = 0;
        long start = System.nanoTime();
        long t;
        float s = 0;
        do {
            s += vector ? VectorFmaLoop.chains(LANE_ITERS, 0.999999f, 1e-7f) : scalarChains(LANE_ITERS / 8, 0.999999f, 1e-7f);
            calls++;
            t = System.nanoTime() - start;
        } while (t < nanos);
        sink = s;
        double flopsPerCall = 2.0 * CHAINS * (vector ? LANE_ITERS : LANE_ITERS / 8);
        return flopsPerCall * calls / t * 1e9;
    }

    private static double twoThreads(boolean vector) {
        CyclicBarrier start = new CyclicBarrier(2);
        double[] best = new double[2];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] ts = new Thread[2];
        for (int i = 0; i < 2; i++) {
            int id = i;
            ts[i] = new Thread(() -> {
                try {
                    for (int s = 0; s < TWO_THREAD_SLICES; s++) {
                        start.await();
                        best[id] = Math.max(best[id], slice(vector, SLICE_NANOS));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    start.reset();
                }
            }, "fma-peak-" + i);
            ts[i].setDaemon(true);
            ts[i].start();
        }
        try {
            for (Thread t : ts) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (Thread t : ts) {
                t.interrupt();
            }
            return Double.NaN;
        }
        if (failure.get() != null) {
            throw new IllegalStateException("FMA peak: a measuring thread failed", failure.get());
        }
        return best[0] + best[1];
    }

    /** {@value #CHAINS} independent chains of {@code iterations} dependent scalar FMAs ({@code a = m·c + a}). */
    public static float scalarChains(int iterations, float m, float c) {
        float a0 = 1, a1 = 2, a2 = 3, a3 = 4, a4 = 5, a5 = 6, a6 = 7, a7 = 8, a8 = 9, a9 = 10, a10 = 11, a11 = 12;
        for (int i = 0; i < iterations; i++) {
            a0 = Math.fma(m, c, a0);
            a1 = Math.fma(m, c, a1);
            a2 = Math.fma(m, c, a2);
            a3 = Math.fma(m, c, a3);
            a4 = Math.fma(m, c, a4);
            a5 = Math.fma(m, c, a5);
            a6 = Math.fma(m, c, a6);
            a7 = Math.fma(m, c, a7);
            a8 = Math.fma(m, c, a8);
            a9 = Math.fma(m, c, a9);
            a10 = Math.fma(m, c, a10);
            a11 = Math.fma(m, c, a11);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
    }
}
