package org.cllmlab.core.data;

/**
 * SplitMix64: a tiny, fast generator whose output is fixed by this source file, not by the JDK, so that
 * generated corpora and batch windows stay identical across Java versions. Not thread-safe.
 */
final class SplitMix {

    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix(long seed) {
        this.state = seed;
    }

    /** A well-mixed value for the pair (a, b); used to derive independent streams such as (seed, step). */
    static long mix(long a, long b) {
        return mix64(mix64(a + GAMMA) ^ (b * 0xBF58476D1CE4E5B9L + 0x632BE59BD9B4E019L));
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GAMMA;
        return mix64(state);
    }

    /** Uniform in [0, bound) for 0 < bound <= 2^31 - 1 (multiply-shift; bias below 2^-32). */
    int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    boolean chance(double p) {
        return nextDouble() < p;
    }
}
