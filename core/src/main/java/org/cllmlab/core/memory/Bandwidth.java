package org.cllmlab.core.memory;

import java.util.concurrent.CyclicBarrier;

/**
 * The memory bandwidth of the gradient reduction's own loop ({@code out[i] += g[i]; g[i] = 0}: two reads
 * and two writes per float) on arrays larger than the last-level cache, with one thread and with
 * {@code threads} threads each on a slice of their own: what a step model needs to price a reduction on
 * this machine. Best of a few passes; a few tens of milliseconds in all.
 */
public final class Bandwidth {

    /** Floats per array: 16 Mi floats (64 MiB), past any L3 of this decade. */
    static final int FLOATS = 16 << 20;
    private static final int PASSES = 3;

    /**
     * @param oneThreadBytesPerSecond the loop's bytes (16 per float) per second on one thread
     * @param allBytesPerSecond       with {@code threads} threads
     * @param threads                 how many threads the second figure used
     */
    public record Result(double oneThreadBytesPerSecond, double allBytesPerSecond, int threads) {
    }

    private Bandwidth() {
    }

    /** Measures with one thread and with {@code threads}; allocates two 64 MiB arrays for the time it takes. */
    public static Result measure(int threads) {
        float[] out = new float[FLOATS];
        float[] g = new float[FLOATS];
        double one = best(out, g, 1);
        double all = threads > 1 ? best(out, g, threads) : one;
        return new Result(one, all, Math.max(1, threads));
    }

    private static double best(float[] out, float[] g, int threads) {
        double best = 0;
        for (int p = 0; p < PASSES; p++) {
            java.util.Arrays.fill(g, 1f);
            long nanos = threads == 1 ? pass(out, g, 0, FLOATS) : parallel(out, g, threads);
            best = Math.max(best, 16.0 * FLOATS / (nanos / 1e9));
        }
        return best;
    }

    private static long pass(float[] out, float[] g, int from, int to) {
        long t0 = System.nanoTime();
        for (int i = from; i < to; i++) {
            out[i] += g[i];
            g[i] = 0f;
        }
        return System.nanoTime() - t0;
    }

    private static long parallel(float[] out, float[] g, int threads) {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        CyclicBarrier end = new CyclicBarrier(threads + 1);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) FLOATS * t / threads);
            int to = (int) ((long) FLOATS * (t + 1) / threads);
            ts[t] = Thread.ofPlatform().daemon(true).name("bandwidth-" + t).start(() -> {
                try {
                    start.await();
                    pass(out, g, from, to);
                    end.await();
                } catch (Exception e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            start.await();
            long t0 = System.nanoTime();
            end.await();
            long dt = System.nanoTime() - t0;
            for (Thread t : ts) {
                t.join();
            }
            return dt;
        } catch (Exception e) {
            Thread.currentThread().interrupt();
            return Long.MAX_VALUE;
        }
    }
}
