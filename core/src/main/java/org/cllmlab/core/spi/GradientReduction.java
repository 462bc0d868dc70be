package org.cllmlab.core.spi;

import java.util.Arrays;

/**
 * The reduction step of the lock-free strategies: sum the owners' gradient buffers into the engine's
 * buffer over one slice of the parameter range, and zero that slice of each buffer for the next step.
 */
public final class GradientReduction {

    private GradientReduction() {
    }

    /**
     * Adds {@code buffers[i][from..to)} into {@code out[from..to)} for every {@code i >= first} with
     * {@code touched[i]}, in owner order (so the sum is deterministic for a given assignment of items),
     * then zeroes those slices. Untouched buffers are all zeros already and are skipped.
     */
    public static void sumInto(float[] out, float[][] buffers, boolean[] touched, int first, int from, int to) {
        for (int i = first; i < buffers.length; i++) {
            if (!touched[i]) {
                continue;
            }
            float[] g = buffers[i];
            for (int j = from; j < to; j++) {
                out[j] += g[j];
            }
            Arrays.fill(g, from, to, 0f);
        }
    }
}
