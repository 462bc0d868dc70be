package org.cllmlab.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FmaPeak}'s register loop on the Vector API; a separate class so that a JVM without
 * {@code jdk.incubator.vector} never resolves it.
 */
public final class VectorFmaLoop {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorFmaLoop() {
    }

    /** Floats per vector of the loop (the preferred species). */
    public static int lanes() {
        return S.length();
    }

    /**
     * {@value FmaPeak#CHAINS} independent chains of dependent vector FMAs, all in registers:
     * {@code 12 · laneIterations} lane-FMAs ({@code laneIterations / lanes()} per chain and vector).
     *
     * <p>The accumulator must be the addend ({@code a = m·c + a}): x86 has only the accumulate-into-addend
     * FMA form for C2 to use, and with {@code a = a·m + c} C2 copied {@code c} into a fresh register for
     * every FMA and spilled the chains to the stack, which understated the peak by about a sixth.
     */
    public static float chains(int laneIterations, float m, float c) {
        FloatVector mv = FloatVector.broadcast(S, m);
        FloatVector cv = FloatVector.broadcast(S, c);
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = FloatVector.broadcast(S, 2f);
        FloatVector a2 = FloatVector.broadcast(S, 3f), a3 = FloatVector.broadcast(S, 4f);
        FloatVector a4 = FloatVector.broadcast(S, 5f), a5 = FloatVector.broadcast(S, 6f);
        FloatVector a6 = FloatVector.broadcast(S, 7f), a7 = FloatVector.broadcast(S, 8f);
        FloatVector a8 = FloatVector.broadcast(S, 9f), a9 = FloatVector.broadcast(S, 10f);
        FloatVector a10 = FloatVector.broadcast(S, 11f), a11 = FloatVector.broadcast(S, 12f);
        int iters = laneIterations / S.length();
        for (int i = 0; i < iters; i++) {
            a0 = mv.fma(cv, a0);
            a1 = mv.fma(cv, a1);
            a2 = mv.fma(cv, a2);
            a3 = mv.fma(cv, a3);
            a4 = mv.fma(cv, a4);
            a5 = mv.fma(cv, a5);
            a6 = mv.fma(cv, a6);
            a7 = mv.fma(cv, a7);
            a8 = mv.fma(cv, a8);
            a9 = mv.fma(cv, a9);
            a10 = mv.fma(cv, a10);
            a11 = mv.fma(cv, a11);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
