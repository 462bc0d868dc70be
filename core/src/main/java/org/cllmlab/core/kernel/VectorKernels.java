package org.cllmlab.core.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fastest {@link Kernels}, on the Vector API ({@code jdk.incubator.vector}; the JVM needs
 * {@code --add-modules jdk.incubator.vector}): the Goto/BLIS loop nest with an explicit register-blocked
 * micro-kernel, which C2's auto-vectoriser cannot produce from plain loops.
 *
 * <p>Scheme: {@code op(B)} is cut into {@code KC × NC} blocks, each packed into panels {@link #NR} columns
 * wide (row {@code p} of a panel is {@code NR} contiguous floats). The micro-kernel keeps an
 * {@code MR × NR} tile of C in {@code 2·MR} vector registers across a whole depth block: per {@code p} it
 * loads two B vectors, broadcasts {@link #MR} scalars of A and does {@code 2·MR} independent fused
 * multiply-adds, and it touches C once per block ({@code C += alpha · tile}).
 *
 * <p>A is packed into row panels {@link #MR} rows tall, interleaved by depth ({@code MR} floats per
 * {@code p}), so that the micro-kernel reaches all four broadcasts from one index register. Reading a
 * row-major A where it lies instead costs an address computation per row and per depth: 27 instructions
 * per eight fused multiply-adds instead of 22, which a core whose sibling hardware thread is busy cannot
 * issue fast enough (measured: 15-20% slower on a shared core, equal on a quiet one). The exception is a
 * narrow B (at most {@link #IN_PLACE_MAX_N} columns, attention's {@code P·V}): each A row then meets so few
 * B panels that packing it would cost about a third of the product, so full tiles of a row-major A are
 * read in place and only its last partial tile is packed.
 *
 * <p>Why {@code MR = 4} and two vectors: eight accumulators are the fewest that keep both FMA units of an
 * AVX2 core busy (four cycles of latency, two units), and the most that C2 keeps in AVX2's 16 vector
 * registers beside the two B vectors and the broadcasts. The classic 6 × 16 tile (12 accumulators)
 * made C2 spill an accumulator to the stack, and that store-load round trip on every {@code p} halved the
 * speed. A 3 × 24 tile measured as fast, but sixteen columns divide every width the model uses.
 *
 * <p>Results equal {@link ReferenceKernels} up to float rounding (summation order in blocks of {@code KC},
 * fused multiply-adds, {@code alpha} applied to each block's sum).
 *
 * <p>Scratch comes from a small bounded pool, as in {@link BlockedKernels} and for the same reason (many
 * virtual threads may call at once). The class is otherwise stateless and thread-safe.
 */
public final class VectorKernels implements Kernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Rows of the register tile. */
    static final int MR = 4;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * V;
    /** Depth of a block: on AVX2 a B panel ({@code KC × NR}, 16 KiB) and four rows of A (4 KiB) share L1. */
    static final int KC = 256;
    /** Rows of an A block ({@code MC × KC} floats, 128 KiB, stay in L2 while the B panels pass). */
    static final int MC = 128;
    /** Columns of a packed B block ({@code KC × NC} floats, 256 KiB). */
    static final int NC = 256 - 256 % NR;
    /** The widest product whose row-major A is read in place (two B panels). */
    static final int IN_PLACE_MAX_N = 2 * NR;

    private static final ScratchPool<Scratch> POOL = new ScratchPool<>(Scratch::new);

    /** Packing space for one call. */
    private static final class Scratch {
        final float[] b = new float[KC * NC];
        /** One A block in panels of {@link #MR} rows; a partial last panel is padded with zeros. */
        final float[] a = new float[(MC + MR - 1) / MR * MR * KC];
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
        // With beta = 0 the first depth block stores its tiles instead of adding them to a zeroed C.
        boolean overwrite = beta == 0f && k > 0 && alpha != 0f;
        if (!GemmPrologue.begin(m, n, k, alpha, overwrite ? 1f : beta, c, cOff, ldc)) {
            return;
        }
        // Full tiles of a row-major A against a narrow B are read in place (see the class comment).
        boolean inPlace = !transA && n <= IN_PLACE_MAX_N;
        Scratch s = POOL.take();
        try {
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                for (int j0 = 0; j0 < n; j0 += NC) {
                    int nc = Math.min(NC, n - j0);
                    packB(transB, b, bOff, ldb, p0, kc, j0, nc, s.b);
                    for (int i0 = 0; i0 < m; i0 += MC) {
                        int mc = Math.min(MC, m - i0);
                        if (j0 == 0 || m > MC) {
                            // A single A block, prepared for the first B block, serves all the others.
                            packA(transA, a, aOff, lda, i0, inPlace ? mc - mc % MR : 0, mc, p0, kc, s.a);
                        }
                        block(inPlace, alpha, a, aOff, lda, i0, mc, p0, kc, s, nc, overwrite && p0 == 0, c,
                                cOff + i0 * ldc + j0, ldc);
                    }
                }
            }
        } finally {
            POOL.give(s);
        }
    }

    /**
     * Rows {@code i0 .. i0+mc} of {@code op(A)} (depths {@code p0 .. p0+kc}) times the packed
     * {@code kc × nc} B block, times {@code alpha}, added into C at {@code c[cAt]}. Each B panel stays in L1
     * while the A panels pass it from L2. With {@code inPlace}, full tiles read the rows of a row-major A
     * where they lie; every other tile reads its packed panel.
     */
    private static void block(boolean inPlace, float alpha, float[] a, int aOff, int lda, int i0, int mc,
                              int p0, int kc, Scratch s, int nc, boolean overwrite, float[] c, int cAt,
                              int ldc) {
        int packedFrom = inPlace ? mc - mc % MR : 0;
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bp = jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int ct = cAt + ir * ldc + jr;
                // A full tile goes straight to C; an edge tile to the scratch tile, then its valid part to C.
                boolean full = mr == MR && nr == NR;
                float[] out = full ? c : s.tile;
                int outAt = full ? ct : 0;
                int outLd = full ? ldc : NR;
                boolean set = !full || overwrite;
                if (ir >= packedFrom) {
                    micro(kc, s.a, ir * kc, alpha, s.b, bp, set, out, outAt, outLd);
                } else {
                    microRows(kc, a, aOff + (i0 + ir) * lda + p0, lda, alpha, s.b, bp, set, out, outAt, outLd);
                }
                if (full) {
                    continue;
                }
                for (int r = 0; r < mr; r++) {
                    int cr = ct + r * ldc;
                    int tr = r * NR;
                    for (int j = 0; j < nr; j++) {
                        c[cr + j] = overwrite ? s.tile[tr + j] : c[cr + j] + s.tile[tr + j];
                    }
                }
            }
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
            if (!transB && nr == NR) {
                // Two vector moves per row: System.arraycopy of 16 floats costs a call, and packing B
                // that way once took a fifth of a training step.
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * ldb + j0 + jr;
                    int dst = panel + p * NR;
                    FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                    FloatVector.fromArray(S, b, src + V).intoArray(bp, dst + V);
                }
            } else if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * ldb + j0 + jr;
                    int dst = panel + p * NR;
                    System.arraycopy(b, src, bp, dst, nr);
                    Arrays.fill(bp, dst + nr, dst + NR, 0f);
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
     * Packs rows {@code from .. mc} of {@code op(A)[i0 .., p0 .. p0+kc]} into panels of {@link #MR} rows
     * interleaved by depth: the panel of rows {@code ir .. ir+MR} starts at {@code ap[ir·kc]} and holds
     * {@code A[ir + r, p]} at {@code + p·MR + r}. {@code from} is a multiple of {@code MR}; rows past
     * {@code mc}, up to a whole panel, are 0.
     */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int from, int mc, int p0,
                              int kc, float[] ap) {
        int full = mc - mc % MR;
        if (!transA) {
            for (int ir = from; ir < full; ir += MR) {
                int r0 = aOff + (i0 + ir) * lda + p0;
                int r1 = r0 + lda;
                int r2 = r1 + lda;
                int r3 = r2 + lda;
                int d = ir * kc;
                for (int p = 0; p < kc; p++, d += MR) {
                    ap[d] = a[r0 + p];
                    ap[d + 1] = a[r1 + p];
                    ap[d + 2] = a[r2 + p];
                    ap[d + 3] = a[r3 + p];
                }
            }
        } else {
            // A stored k × m: stored row p0 + p holds depth p of every row, so each panel's MR floats are
            // contiguous there.
            for (int p = 0; p < kc; p++) {
                int src = aOff + (p0 + p) * lda + i0;
                int d = from * kc + p * MR;
                for (int ir = from; ir < full; ir += MR, d += MR * kc) {
                    ap[d] = a[src + ir];
                    ap[d + 1] = a[src + ir + 1];
                    ap[d + 2] = a[src + ir + 2];
                    ap[d + 3] = a[src + ir + 3];
                }
            }
        }
        if (full < mc) {
            int d = full * kc;
            Arrays.fill(ap, d, d + MR * kc, 0f);
            for (int r = 0; r < mc - full; r++) {
                int i = i0 + full + r;
                for (int p = 0; p < kc; p++) {
                    ap[d + p * MR + r] = transA ? a[aOff + (p0 + p) * lda + i] : a[aOff + i * lda + p0 + p];
                }
            }
        }
    }

    /**
     * {@code C[r, j] += alpha · Σ_p A[r, p] · B[p, j]} (or {@code =}, when {@code overwrite}) for the
     * {@code MR × NR} tile at {@code c[cAt]} (leading dimension {@code ldc}), with the packed A panel at
     * {@code a[at]} ({@code A[r, p]} at {@code + p·MR + r}, see {@link #packA}) and the B panel at
     * {@code bp[b0]}.
     *
     * <p>Per depth: two B loads, four broadcasts at fixed offsets from one index, eight independent fused
     * multiply-adds and the loop's count, 22 instructions in C2's code. One depth per iteration, not
     * unrolled by hand: unrolling made C2 keep more vectors live than the registers hold (see the class
     * comment).
     *
     * <p>The tile's epilogue is written out here and again in {@link #microRows}; it cannot move to a
     * helper. With the Vector API's intrinsics inlined, each micro-kernel exhausts C2's inlining budget, a
     * helper is left out of line, and passing it the accumulators boxes them: 30 times slower, measured.
     * Nor can the two kernels be one method branching on the layout: C2's unswitched loop ran 10-20% slower.
     */
    private static void micro(int kc, float[] a, int at, float alpha,
                              float[] bp, int b0, boolean overwrite, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int ai = at;
        int bi = b0;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0v = FloatVector.fromArray(S, bp, bi);
            FloatVector b1v = FloatVector.fromArray(S, bp, bi + V);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[ai + 1]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, a[ai + 2]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, a[ai + 3]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        int r1 = cAt + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        if (overwrite) {
            c00.mul(al).intoArray(c, cAt);
            c01.mul(al).intoArray(c, cAt + V);
            c10.mul(al).intoArray(c, r1);
            c11.mul(al).intoArray(c, r1 + V);
            c20.mul(al).intoArray(c, r2);
            c21.mul(al).intoArray(c, r2 + V);
            c30.mul(al).intoArray(c, r3);
            c31.mul(al).intoArray(c, r3 + V);
            return;
        }
        c00.fma(al, FloatVector.fromArray(S, c, cAt)).intoArray(c, cAt);
        c01.fma(al, FloatVector.fromArray(S, c, cAt + V)).intoArray(c, cAt + V);
        c10.fma(al, FloatVector.fromArray(S, c, r1)).intoArray(c, r1);
        c11.fma(al, FloatVector.fromArray(S, c, r1 + V)).intoArray(c, r1 + V);
        c20.fma(al, FloatVector.fromArray(S, c, r2)).intoArray(c, r2);
        c21.fma(al, FloatVector.fromArray(S, c, r2 + V)).intoArray(c, r2 + V);
        c30.fma(al, FloatVector.fromArray(S, c, r3)).intoArray(c, r3);
        c31.fma(al, FloatVector.fromArray(S, c, r3 + V)).intoArray(c, r3 + V);
    }

    /**
     * {@link #micro} with the rows of A where they lie: row {@code r} at {@code a[at + r·rowStep + p]}.
     *
     * <p>Every A row is a unit-stride run over {@code p}, so C2 hoists all bounds checks out of the loop
     * (with a run-time stride between depths it kept four compare-and-branch pairs per depth); it still
     * spends an address computation per row, 27 instructions per depth in all.
     */
    private static void microRows(int kc, float[] a, int at, int rowStep, float alpha,
                                  float[] bp, int b0, boolean overwrite, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int a1 = at + rowStep;
        int a2 = a1 + rowStep;
        int a3 = a2 + rowStep;
        int bi = b0;
        for (int p = 0; p < kc; p++, bi += NR) {
            FloatVector b0v = FloatVector.fromArray(S, bp, bi);
            FloatVector b1v = FloatVector.fromArray(S, bp, bi + V);
            FloatVector av = FloatVector.broadcast(S, a[at + p]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        int r1 = cAt + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        if (overwrite) {
            c00.mul(al).intoArray(c, cAt);
            c01.mul(al).intoArray(c, cAt + V);
            c10.mul(al).intoArray(c, r1);
            c11.mul(al).intoArray(c, r1 + V);
            c20.mul(al).intoArray(c, r2);
            c21.mul(al).intoArray(c, r2 + V);
            c30.mul(al).intoArray(c, r3);
            c31.mul(al).intoArray(c, r3 + V);
            return;
        }
        c00.fma(al, FloatVector.fromArray(S, c, cAt)).intoArray(c, cAt);
        c01.fma(al, FloatVector.fromArray(S, c, cAt + V)).intoArray(c, cAt + V);
        c10.fma(al, FloatVector.fromArray(S, c, r1)).intoArray(c, r1);
        c11.fma(al, FloatVector.fromArray(S, c, r1 + V)).intoArray(c, r1 + V);
        c20.fma(al, FloatVector.fromArray(S, c, r2)).intoArray(c, r2);
        c21.fma(al, FloatVector.fromArray(S, c, r2 + V)).intoArray(c, r2 + V);
        c30.fma(al, FloatVector.fromArray(S, c, r3)).intoArray(c, r3);
        c31.fma(al, FloatVector.fromArray(S, c, r3 + V)).intoArray(c, r3 + V);
    }
}
