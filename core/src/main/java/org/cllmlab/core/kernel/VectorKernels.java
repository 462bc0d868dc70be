package org.cllmlab.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A {@link Kernels} on the Vector API ({@code jdk.incubator.vector}; the JVM needs
 * {@code --add-modules jdk.incubator.vector}): the Goto/BLIS loop nest with an explicit register-blocked
 * micro-kernel, which C2's auto-vectoriser cannot produce from plain loops.
 *
 * <p>Scheme: {@code op(B)} is cut into {@code KC × NC} blocks, each packed into panels {@link #NR} columns
 * wide (row {@code p} of a panel is {@code NR} contiguous floats); {@code op(A)} is cut into {@code MC × KC}
 * blocks packed, {@code alpha}-scaled, into panels of {@link #MR} rows interleaved by {@code p}. Panels are
 * zero-padded to whole tiles. The micro-kernel keeps an {@code MR × NR} tile of C in {@code MR · 2}
 * vector registers across the whole {@code kc} loop (on AVX2: 6 rows × 2 vectors of 8 = 12 accumulators,
 * plus 2 B vectors and one broadcast of A, within the 16 registers), doing {@code 2·MR} fused
 * multiply-adds per {@code p} against 2 vector loads and {@code MR} broadcasts, and touches C only once
 * per {@code KC} block.
 *
 * <p>Speed (seed shapes, one thread, 2-vCPU AVX2 EPYC): about 31-34 GFLOP/s on the large products, i.e.
 * <em>slower</em> than {@link BlockedKernels} (37-45), and about 18-20 GFLOP/s on attention's head-dim
 * products (blocked: 16-17). The micro-kernel alone, with its panels in L1, reaches 40-50 GFLOP/s; the
 * loss inside the loop nest comes from streaming the panels. It is therefore not the default.
 *
 * <p>Results equal {@link ReferenceKernels} up to float rounding (summation order in blocks of {@code KC},
 * fused multiply-adds, {@code alpha} applied to A before the product).
 *
 * <p>Scratch comes from a small bounded pool, as in {@link BlockedKernels} and for the same reason (many
 * virtual threads may call at once). The class is otherwise stateless and thread-safe.
 */
public final class VectorKernels implements Kernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Rows of the register tile. */
    static final int MR = 6;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * V;
    /** Depth of a packed block: a B panel ({@code KC × NR}, 8 KiB) and an A panel (3 KiB) share L1. */
    static final int KC = 128;
    /** Rows of a packed A block ({@code MC × KC} floats stay in L2). */
    static final int MC = 16 * MR;
    /** Columns of a packed B block ({@code KC × NC} floats, 128 KiB at KC = 128, NC = 256). */
    static final int NC = 256 - 256 % NR;

    private static final ScratchPool<Scratch> POOL = new ScratchPool<>(Scratch::new);

    /** Packing space for one call. */
    private static final class Scratch {
        final float[] b = new float[KC * NC];
        final float[] a = new float[MC * KC];
        /** An edge tile of C, {@code MR × NR}. */
        final float[] tile = new float[MR * NR];
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (!GemmPrologue.begin(m, n, k, alpha, beta, c, cOff, ldc)) {
            return;
        }
        Scratch s = POOL.take();
        try {
            for (int j0 = 0; j0 < n; j0 += NC) {
                int nc = Math.min(NC, n - j0);
                for (int p0 = 0; p0 < k; p0 += KC) {
                    int kc = Math.min(KC, k - p0);
                    packB(transB, b, bOff, ldb, p0, kc, j0, nc, s.b);
                    for (int i0 = 0; i0 < m; i0 += MC) {
                        int mc = Math.min(MC, m - i0);
                        packA(transA, alpha, a, aOff, lda, i0, mc, p0, kc, s.a);
                        for (int jr = 0; jr < nc; jr += NR) {
                            int nr = Math.min(NR, nc - jr);
                            int bp = jr * kc;
                            for (int ir = 0; ir < mc; ir += MR) {
                                int mr = Math.min(MR, mc - ir);
                                int cAt = cOff + (i0 + ir) * ldc + j0 + jr;
                                if (mr == MR && nr == NR) {
                                    micro(kc, s.a, ir * kc, s.b, bp, c, cAt, ldc);
                                } else {
                                    java.util.Arrays.fill(s.tile, 0f);
                                    micro(kc, s.a, ir * kc, s.b, bp, s.tile, 0, NR);
                                    for (int r = 0; r < mr; r++) {
                                        int cr = cAt + r * ldc;
                                        int tr = r * NR;
                                        for (int j = 0; j < nr; j++) {
                                            c[cr + j] += s.tile[tr + j];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            POOL.give(s);
        }
    }

    /**
     * Packs {@code op(B)[p0 .. p0+kc, j0 .. j0+nc]} into panels of {@link #NR} columns: panel {@code q}
     * starts at {@code q·NR·kc} and holds row {@code p} at {@code + p·NR}. Columns past {@code nc} are 0.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                              float[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int panel = jr * kc;
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * ldb + j0 + jr;
                    int dst = panel + p * NR;
                    System.arraycopy(b, src, bp, dst, nr);
                    for (int j = nr; j < NR; j++) {
                        bp[dst + j] = 0f;
                    }
                }
            } else {
                // B stored n × k: each stored row j is contiguous in p; scatter it down column j of the panel.
                for (int j = 0; j < nr; j++) {
                    int src = bOff + (j0 + jr + j) * ldb + p0;
                    int dst = panel + j;
                    for (int p = 0; p < kc; p++) {
                        bp[dst + p * NR] = b[src + p];
                    }
                }
                for (int j = nr; j < NR; j++) {
                    for (int p = 0; p < kc; p++) {
                        bp[panel + j + p * NR] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs {@code alpha · op(A)[i0 .. i0+mc, p0 .. p0+kc]} into panels of {@link #MR} rows: panel
     * {@code q} starts at {@code q·MR·kc} and holds column {@code p} at {@code + p·MR}. Rows past {@code mc} are 0.
     */
    private static void packA(boolean transA, float alpha, float[] a, int aOff, int lda, int i0, int mc,
                              int p0, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int panel = ir * kc;
            if (!transA) {
                for (int r = 0; r < mr; r++) {
                    int src = aOff + (i0 + ir + r) * lda + p0;
                    int dst = panel + r;
                    for (int p = 0; p < kc; p++) {
                        ap[dst + p * MR] = alpha * a[src + p];
                    }
                }
            } else {
                // A stored k × m: row p0 + p holds the panel's column p contiguously.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + ir;
                    int dst = panel + p * MR;
                    for (int r = 0; r < mr; r++) {
                        ap[dst + r] = alpha * a[src + r];
                    }
                }
            }
            for (int r = mr; r < MR; r++) {
                for (int p = 0; p < kc; p++) {
                    ap[panel + r + p * MR] = 0f;
                }
            }
        }
    }

    /**
     * {@code C[r, j] += Σ_p A[r, p] · B[p, j]} for the {@code MR × NR} tile at {@code c[cAt]} (leading
     * dimension {@code ldc}), from the packed A panel at {@code ap[a0]} and B panel at {@code bp[b0]}.
     */
    private static void micro(int kc, float[] ap, int a0, float[] bp, int b0, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        // Unrolled by two depths: per depth, two B loads and MR broadcasts feed 2·MR independent FMAs. The
        // unrolling halves the loop and bounds-check overhead, which measured ~1.3x faster than one depth.
        FloatVector b0v;
        FloatVector b1v;
        FloatVector av;
        int p = 0;
        for (; p + 1 < kc; p += 2) {
            int ai = a0 + p * MR;
            int bi = b0 + p * NR;
            b0v = FloatVector.fromArray(S, bp, bi);
            b1v = FloatVector.fromArray(S, bp, bi + V);
            av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            b0v = FloatVector.fromArray(S, bp, bi + NR);
            b1v = FloatVector.fromArray(S, bp, bi + NR + V);
            av = FloatVector.broadcast(S, ap[ai + 6]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, ap[ai + 7]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, ap[ai + 8]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, ap[ai + 9]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(S, ap[ai + 10]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(S, ap[ai + 11]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
        }
        for (; p < kc; p++) {
            int ai = a0 + p * MR;
            int bi = b0 + p * NR;
            b0v = FloatVector.fromArray(S, bp, bi);
            b1v = FloatVector.fromArray(S, bp, bi + V);
            av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
        }
        // Written out rather than in a helper: a call that C2 does not inline would box the accumulators.
        int r1 = cAt + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        int r4 = r3 + ldc;
        int r5 = r4 + ldc;
        FloatVector.fromArray(S, c, cAt).add(c00).intoArray(c, cAt);
        FloatVector.fromArray(S, c, cAt + V).add(c01).intoArray(c, cAt + V);
        FloatVector.fromArray(S, c, r1).add(c10).intoArray(c, r1);
        FloatVector.fromArray(S, c, r1 + V).add(c11).intoArray(c, r1 + V);
        FloatVector.fromArray(S, c, r2).add(c20).intoArray(c, r2);
        FloatVector.fromArray(S, c, r2 + V).add(c21).intoArray(c, r2 + V);
        FloatVector.fromArray(S, c, r3).add(c30).intoArray(c, r3);
        FloatVector.fromArray(S, c, r3 + V).add(c31).intoArray(c, r3 + V);
        FloatVector.fromArray(S, c, r4).add(c40).intoArray(c, r4);
        FloatVector.fromArray(S, c, r4 + V).add(c41).intoArray(c, r4 + V);
        FloatVector.fromArray(S, c, r5).add(c50).intoArray(c, r5);
        FloatVector.fromArray(S, c, r5 + V).add(c51).intoArray(c, r5 + V);
    }

}
