package org.cllmlab.core.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fastest {@link Kernels}, on the Vector API ({@code jdk.incubator.vector}; the JVM needs
 * {@code --add-modules jdk.incubator.vector}): the Goto/BLIS loop nest with an explicit register-blocked
 * micro-kernel, which C2's auto-vectoriser cannot produce from plain loops.
 *
 * <p>Scheme: {@code op(B)} is cut into {@code KC × nc} blocks, each packed into panels {@link #NR} columns
 * wide (row {@code p} of a panel is {@code NR} contiguous floats). The micro-kernel keeps an
 * {@code MR × NR} tile of C in {@code 2·MR} vector registers across a whole depth block: per {@code p} it
 * loads two B vectors, broadcasts {@link #MR} scalars of A and does {@code 2·MR} independent fused
 * multiply-adds, and it touches C once per block ({@code C += alpha · tile}).
 *
 * <p>A is packed into row panels {@code MR} rows tall, interleaved by depth ({@code MR} floats per
 * {@code p}), so that the micro-kernel reaches all its broadcasts from one index register. Reading a
 * row-major A where it lies instead costs an address computation per row and per depth, which a core whose
 * sibling hardware thread is busy cannot issue fast enough (measured on AVX2: 15-20% slower on a shared
 * core, equal on a quiet one; on AVX-512 Intel the 8-row in-place micro-kernel runs about 10% slower).
 * Two exceptions read full tiles of a row-major A in place and pack only its last partial tile:
 * <ul>
 *   <li>A narrow B (at most {@link #IN_PLACE_MAX_N} columns, four panels: attention's {@code P·V} and
 *       {@code q·kᵀ}): each A row then meets so few B panels that packing it costs more than the slower
 *       reads (measured on AVX-512 Intel, alternating: {@code q·kᵀ} 20-35% faster read in place,
 *       {@code dy·W} with its eight panels no faster).</li>
 *   <li>Every product, where {@link #IN_PLACE_WIDE} holds: a 4-row tile (four row addresses) on a core
 *       with no sibling hardware thread ({@link CpuShape#threadsPerCore()} 1). Measured on Zen 3 (two
 *       cores alone in a virtual machine; seed passes in one JVM, alternating): groups of 8 items 2.4-3.3%
 *       faster than with A packed for wide products, one item 3.5% faster.</li>
 * </ul>
 * Where {@link #IN_PLACE_WIDE} holds, a transposed A against a narrow B (attention's {@code dSᵀ·q} and
 * {@code Pᵀ·dO}, which pack a 128 × 128 A for only 32 columns of B at {@code seed}) is read in place too:
 * a 4-row tile of it is four contiguous floats per depth, so {@link #microCols4} reads it as
 * {@link #micro4} reads a packed panel, with a depth step of {@code lda}. Measured on Zen 3, alternating:
 * seed passes 1.1-2.5% faster than with 4-row packed panels, and {@code dSᵀ·q} alone (128 × 32 × 128)
 * took 1.38× the time when packed into panels one vector tall. A wide transposed A (the weight
 * gradients') keeps being packed: read in place, its rows a power-of-two stride apart, the weight
 * gradient of one item ran 1.4× slower. Under a 4-row tile it is packed into panels one vector tall
 * ({@link #copyPanels}), which {@link #micro4Tall} walks with a constant depth step of {@code V}. A
 * packed row-major A keeps 4-row panels: in panels one vector tall (still packed by scalar copies),
 * seed passes ran 1-7% slower.
 *
 * <p>Where {@link #VECTOR_PACKING} holds (AVX-512), the packing is vectorised in the preferred species
 * only: a transposed B and a row-major A by gathers (a period of {@code lcm(MR, 16)} packed floats at a
 * time), a transposed A by masked copies of {@code MR} lanes. A sampling profile of seed training passes
 * (groups of 8) put the scalar packing at 15% of all the time; vector packing of A made whole passes
 * 3-8% faster (one JVM, alternating).
 *
 * <p><b>The register tile</b> follows the vector registers ({@link CpuShape}): two vectors wide, and
 * {@code MR} rows so that the {@code 2·MR} accumulators, the two B vectors and a broadcast fit.
 * <ul>
 *   <li>16 registers (AVX2): 4 rows, 8 accumulators, the fewest that keep two FMA pipes with a 4-cycle
 *       latency busy and the most that C2 keeps in 16 registers (a 6 × 16 tile spilled an accumulator to
 *       the stack on every {@code p} and ran at half speed).</li>
 *   <li>32 registers (AVX-512, AArch64), first: 8 rows, 16 accumulators, 19 registers live. Zen 4 executes a
 *       512-bit FMA on its two 256-bit pipes (double-pumped): the 512-bit register FMA loop measures the
 *       same 32 FLOP per cycle as the 256-bit one, so 512 bits pays only by halving the instructions
 *       per FLOP, and four accumulators would already cover the latency. What the larger tile buys is
 *       fewer loads per FMA (10 per 16 instead of 6 per 8) and half as many passes over the packed B per
 *       A block; measured on the seed model (Zen 4, in one JVM, alternating): weight-gradient products
 *       (TN) 55 → 65 GFLOP/s, the model's whole pass about 10% faster than with 4 × 32.</li>
 *   <li>For the wide products of a 32-register machine, 12 rows: 24 accumulators, 27 registers live. On
 *       an AVX-512 Intel core (two full 512-bit FMA pipes) the 12 × 32 tile runs 9% faster than 8 × 32 in
 *       L1 (91% of the register FMA loop's peak against 84%), and it loads B once per 12 rows instead of
 *       8. A narrow B (at most {@link #IN_PLACE_MAX_N} columns: attention's products) keeps 8 rows: its
 *       products are 32 rows tall, which 12 does not divide, and with 12 rows they ran 15-18% slower.
 *       Measured on the seed model (AVX-512 Intel, one JVM, alternating, forward and backward): a group of
 *       8 items 4.3-4.7% faster than with 8 rows everywhere, one item 2.6-5.6% faster; with 12 rows for
 *       attention as well, one item had run 1-3% slower. Not measured on Zen 4 (its 512-bit FMA is
 *       double-pumped, and there 12 or 14 rows ran no faster in L1); {@code new VectorKernels(8, ...)}
 *       gives the 8-row tile everywhere.</li>
 * </ul>
 *
 * <p><b>The cache blocks</b> follow the caches ({@link CpuShape}). The depth {@link #KC} sets the size of a
 * B micro-panel ({@code KC × NR} floats), which the micro-kernel reads once per tile of A rows, so where it
 * must live depends on the tile:
 * <ul>
 *   <li>A 4-row tile (16 registers) loads two B vectors for every eight FMAs, so its B panel must stay in
 *       L1: {@code KC} makes it half of the level-1 data cache (32 KiB with 16-float panels: 256, as in
 *       BLIS's AVX2 kernels). Measured on Zen 3 (32 KiB L1d, 512 KiB L2; seed model, groups of 8 items,
 *       forward and backward, one JVM, alternating), median time of a pass against KC 256: 512 (a 32 KiB
 *       panel, all of L1) 1.13×, 384 1.10×, 192 1.05×, 128 1.10×.</li>
 *   <li>A tile of 8 or 12 rows loads B once per 16 or 24 FMAs, and its panel may stream from L2: {@code KC}
 *       makes it a sixteenth of the level-2 cache (Zen 4, 1 MiB, 32-float panels: 512). Zen 4's L2 feeds L1
 *       at 64 bytes a cycle, and a deeper block touches C fewer times (once for every model product with
 *       {@code k <= 512}), which matters most when C is a weight gradient that comes from L3 or memory.
 *       Measured on the seed model, alternating: KC 512 over 256, 128 and 1024 on Zen 4; on an AVX-512
 *       Intel core (48 KiB L1d, 2 MiB L2) 128 and 192 ran slower and 256 within the noise.</li>
 * </ul>
 * The packed A block ({@code mc × kc}) is swept once per B panel, so it lives in L2: up to half of it
 * ({@link #BLOCK_FLOATS}; 512 KiB blocks over 1 MiB ones on Zen 4, and on Zen 3 a pass with a quarter of
 * L2 took 1.13× the time of one with half). The packed B block ({@code kc × nc}) is read one panel at a
 * time, so, as in BLIS, it only needs L3: up to four A blocks ({@link #B_BLOCK_FLOATS}), which at the
 * seed model's depths holds the whole of {@code op(B)}, so that a tall A (a group of items, 1024 rows) is
 * packed once per depth block instead of once per B block (Zen 3, groups of 8: a pass 4.4% faster than
 * with a B block the size of the A block). {@code nc} and {@code mc} come from the depth of each call, so
 * a shallow product (attention, {@code k = 32}) packs wide blocks.
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
    /** Rows of the register tile: 12 with 32 vector registers (8 for a narrow B), 4 with 16 (see the class comment). */
    static final int MR = tileRows(CpuShape.current().vectorRegisters());
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * V;
    /** Depth of a block: a B micro-panel ({@code KC × NR} floats) fits the cache its tile reads it from. */
    static final int KC = depthBlock(MR, CpuShape.current().l1dBytes(), CpuShape.current().l2Bytes(), NR);
    /** Floats of the packed A block: half the level-2 cache. */
    static final int BLOCK_FLOATS = blockFloats(CpuShape.current().l2Bytes());
    /** Floats of the packed B block: up to four A blocks, as this core's share of L3 allows (class comment). */
    static final int B_BLOCK_FLOATS = bBlockFloats(BLOCK_FLOATS, CpuShape.current().l3PerCore());
    /**
     * Whether packing that transposes moves floats with vectors of the preferred species (gathers, masked
     * copies) instead of scalar copies: only with AVX-512's 16 lanes (32 registers), where it was measured
     * (an Intel core, seed model, alternating in one JVM: packing a transposed B took half the time and the
     * NT products ran 11-20% faster; vector packing of A made whole passes 3-8% faster). On AVX2 scalar
     * copies remain: on Zen 3 (8-lane gathers and masked copies, groups of 8, alternating in one JVM) whole
     * passes ran no faster (time ratio 0.996, quartiles 0.95-1.06).
     */
    static final boolean VECTOR_PACKING = CpuShape.current().vectorRegisters() >= 32 && V == 16;
    /** The widest product whose row-major A is read in place (four B panels; see the class comment). */
    static final int IN_PLACE_MAX_N = 4 * NR;
    /** Whether a row-major A is read in place whatever the width of B: a 4-row tile on a core of its own. */
    static final boolean IN_PLACE_WIDE = MR == 4 && CpuShape.current().threadsPerCore() == 1;

    /** 12 rows (24 accumulators) with 32 vector registers, else 4 rows (8 accumulators). */
    static int tileRows(int vectorRegisters) {
        return vectorRegisters >= 32 ? 12 : 4;
    }

    /**
     * The largest multiple of 16, within [64, 512], whose {@code kc × nr} floats are half of {@code l1d} for a
     * tile of at most 4 rows, else a sixteenth of {@code l2}.
     */
    static int depthBlock(int tileRows, long l1d, long l2, int nr) {
        long kc = (tileRows <= 4 ? l1d / 2 : l2 / 16) / (4L * nr);
        return (int) Math.max(64, Math.min(512, kc - kc % 16));
    }

    /** Half of {@code l2} in floats, at least 64 Ki floats (a 256 KiB level 2 ). */
    static int blockFloats(long l2) {
        return (int) Math.max(64 * 1024, Math.min(4L * 1024 * 1024, l2 / 2 / 4));
    }

    /** Four A blocks of {@code aBlock} floats, or half of {@code l3PerCore} if less, but at least one A block. */
    static int bBlockFloats(int aBlock, long l3PerCore) {
        return (int) Math.max(aBlock, Math.min(4L * aBlock, l3PerCore / 2 / 4));
    }

    /**
     * The register tile, cache blocks and packing this JVM uses, e.g. {@code tile 12x32 (8x32 for B at most
     * 128 columns wide), KC 512, A blocks 1024 KiB, B blocks 4096 KiB, ...}.
     */
    public static String describe() {
        return "tile " + MR + "x" + NR + (MR == 12 ? " (8x" + NR + " for B at most " + IN_PLACE_MAX_N + " columns wide)"
                : "") + ", KC " + KC + ", A blocks " + BLOCK_FLOATS / 256
                + " KiB, B blocks " + B_BLOCK_FLOATS / 256 + " KiB, row-major A read in place "
                + (IN_PLACE_WIDE ? "always" : "for B at most " + IN_PLACE_MAX_N + " columns wide") + ", "
                + (VECTOR_PACKING ? "vector" : "scalar") + " packing (" + S.vectorBitSize() + "-bit vectors, "
                + CpuShape.current().vectorRegisters() + " registers, " + CpuShape.current().threadsPerCore()
                + " thread(s) per core, caches " + CpuShape.current().source() + ")";
    }

    /** Rows of this instance's register tile (4, 8 or 12). */
    private final int mr;
    /** This instance's depth block. */
    private final int kcMax;
    /** Floats of this instance's packed A block. */
    private final int blockFloats;
    /** Floats of this instance's packed B block. */
    private final int bBlockFloats;
    private final ScratchPool<Scratch> pool;
    /** Whether this instance packs with vectors: {@link #VECTOR_PACKING}, unless chosen otherwise. */
    private final boolean vectorPacking;
    /**
     * Whether this instance reads a row-major A in place against any B, and a transposed A against a narrow
     * one ({@link #IN_PLACE_WIDE}, unless chosen otherwise; 4-row tiles only).
     */
    private final boolean inPlaceWide;

    /** Packing space for one call. */
    private static final class Scratch {
        /** One B block, {@code kc × nc}, in panels of {@link #NR} columns. */
        final float[] b;
        /** One A block in panels of {@code mr} rows; a partial last panel is padded with zeros. */
        final float[] a;
        /** An edge tile of C, {@code mr × NR}. */
        final float[] tile;
        /** The gather offsets of one call's transposed B panels: lane {@code i} at {@code i·ldb}. */
        final int[] gather = new int[V];
        /** The gather offsets of one call's row-major A panels: element {@code e} of a period at {@code (e % mr)·lda + e / mr}. */
        final int[] gatherA = new int[3 * V];

        Scratch(int mr, int aFloats, int bFloats) {
            b = new float[bFloats];
            a = new float[aFloats];
            tile = new float[mr * NR];
        }
    }

    /** The tile and blocks chosen for this machine ({@link #describe()}). */
    public VectorKernels() {
        this(MR, KC, BLOCK_FLOATS, B_BLOCK_FLOATS, VECTOR_PACKING, IN_PLACE_WIDE);
    }

    /**
     * A kernel with another register tile or other blocks, for measuring one choice against another in one
     * JVM: {@code mr} rows (4, 8 or 12; 12 rows serve only products wider than {@link #IN_PLACE_MAX_N}
     * columns, narrower ones get 8) by {@link #NR} columns, depth blocks of {@code kc}, and packed A and B
     * blocks of {@code blockFloats} floats each (for a depth {@code kc}, up to {@code blockFloats / kc}
     * rows of A and columns of B; at least {@code kc · max(mr, NR)}).
     */
    public VectorKernels(int mr, int kc, int blockFloats) {
        this(mr, kc, blockFloats, blockFloats, VECTOR_PACKING, IN_PLACE_WIDE);
    }

    /**
     * As {@link #VectorKernels(int, int, int)}, with a packed A block of {@code blockFloats} and a packed B
     * block of {@code bBlockFloats}, packing by vectors or by scalar copies as {@code vectorPacking} says,
     * and with {@code inPlaceWide} (4 rows only) reading a row-major A in place against any B, whatever this
     * machine's defaults ({@link #VECTOR_PACKING}, {@link #IN_PLACE_WIDE}; for tests and measurement).
     */
    VectorKernels(int mr, int kc, int blockFloats, int bBlockFloats, boolean vectorPacking, boolean inPlaceWide) {
        int least = kc * Math.max(mr, NR);
        if ((mr != 4 && mr != 8 && mr != 12) || kc < 1 || blockFloats < (long) least || bBlockFloats < (long) least) {
            throw new IllegalArgumentException("VectorKernels: mr=" + mr + ", kc=" + kc + ", blockFloats="
                    + blockFloats + ", bBlockFloats=" + bBlockFloats
                    + "; expected mr 4, 8 or 12, kc >= 1, blocks >= kc * " + Math.max(mr, NR));
        }
        this.mr = mr;
        this.vectorPacking = vectorPacking;
        this.inPlaceWide = inPlaceWide && mr == 4;
        this.kcMax = kc;
        this.blockFloats = blockFloats;
        this.bBlockFloats = bBlockFloats;
        this.pool = new ScratchPool<>(() -> new Scratch(mr, blockFloats, bBlockFloats));
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
        // Full tiles of A are read in place: a row-major A against a narrow B, or any B with inPlaceWide; a
        // transposed A against a narrow B with inPlaceWide (see the class comment).
        boolean narrow = n <= IN_PLACE_MAX_N;
        boolean inPlace = transA ? inPlaceWide && narrow : inPlaceWide || narrow;
        // A 12-row tile serves wide products only; a narrow B (attention's) keeps 8 rows (see the class comment).
        int mr = this.mr == 12 && narrow ? 8 : this.mr;
        // A packed transposed A under a 4-row tile comes in panels one vector tall (see packA).
        int panelRows = transA && !inPlace && mr == 4 ? V : mr;
        Scratch s = pool.take();
        try {
            for (int p0 = 0; p0 < k; p0 += kcMax) {
                int kc = Math.min(kcMax, k - p0);
                // The blocks hold as many rows of A and columns of B as this depth allows.
                int mcMax = blockFloats / kc / panelRows * panelRows;
                int ncMax = bBlockFloats / kc / NR * NR;
                for (int j0 = 0; j0 < n; j0 += ncMax) {
                    int nc = Math.min(ncMax, n - j0);
                    packB(transB, vectorPacking, b, bOff, ldb, p0, kc, j0, nc, s.b, s.gather);
                    for (int i0 = 0; i0 < m; i0 += mcMax) {
                        int mc = Math.min(mcMax, m - i0);
                        if (j0 == 0 || m > mcMax) {
                            // A single A block, prepared for the first B block, serves all the others.
                            packA(panelRows, transA, a, aOff, lda, i0, inPlace ? mc - mc % mr : 0, mc, p0, kc, s.a,
                                    vectorPacking, s.gatherA);
                        }
                        block(mr, panelRows, inPlace, transA, alpha, a, aOff, lda, i0, mc, p0, kc, s, nc,
                                overwrite && p0 == 0, c, cOff + i0 * ldc + j0, ldc);
                    }
                }
            }
        } finally {
            pool.give(s);
        }
    }

    /**
     * Rows {@code i0 .. i0+mc} of {@code op(A)} (depths {@code p0 .. p0+kc}) times the packed
     * {@code kc × nc} B block, times {@code alpha}, added into C at {@code c[cAt]}. Each B panel stays in L1
     * while the A panels pass it from L2. With {@code inPlace}, full tiles read the rows of a row-major A
     * where they lie; every other tile reads its packed panel.
     */
    private static void block(int tileRows, int panelRows, boolean inPlace, boolean transA, float alpha, float[] a,
                              int aOff, int lda, int i0, int mc, int p0, int kc, Scratch s, int nc,
                              boolean overwrite, float[] c, int cAt, int ldc) {
        for (int jr = 0; jr < nc; jr += NR) {
            for (int ir = 0; ir < mc; ir += tileRows) {
                tile(tileRows, panelRows, inPlace, transA, alpha, a, aOff, lda, i0, mc, p0, kc, s, nc, overwrite, c,
                        cAt, ldc, ir, jr);
            }
        }
    }

    /** The tile of C at rows {@code ir}, columns {@code jr} of the block (see {@link #block}). */
    private static void tile(int tileRows, int panelRows, boolean inPlace, boolean transA, float alpha, float[] a,
                             int aOff, int lda, int i0, int mc, int p0, int kc, Scratch s, int nc,
                             boolean overwrite, float[] c, int cAt, int ldc, int ir, int jr) {
        int packedFrom = inPlace ? mc - mc % tileRows : 0;
        int nr = Math.min(NR, nc - jr);
        int bp = jr * kc;
        int mr = Math.min(tileRows, mc - ir);
        int ct = cAt + ir * ldc + jr;
        // A full tile goes straight to C; an edge tile to the scratch tile, then its valid part to C.
        boolean full = mr == tileRows && nr == NR;
        float[] out = full ? c : s.tile;
        int outAt = full ? ct : 0;
        int outLd = full ? ldc : NR;
        boolean set = !full || overwrite;
        if (ir >= packedFrom) {
            if (tileRows == 12) {
                micro12(kc, s.a, ir * kc, alpha, s.b, bp, set, out, outAt, outLd);
            } else if (tileRows == 8) {
                micro8(kc, s.a, ir * kc, alpha, s.b, bp, set, out, outAt, outLd);
            } else if (panelRows == V) {
                // A panel one vector tall holds V / 4 tiles side by side (V floats per depth).
                micro4Tall(kc, s.a, ir / V * V * kc + ir % V, alpha, s.b, bp, set, out, outAt, outLd);
            } else {
                micro4(kc, s.a, ir * kc, alpha, s.b, bp, set, out, outAt, outLd);
            }
        } else if (transA) {
            // A transposed A's tile is 4 contiguous floats per depth, one stored row apart (4 rows only).
            microCols4(kc, a, aOff + p0 * lda + i0 + ir, lda, alpha, s.b, bp, set, out, outAt, outLd);
        } else if (tileRows == 8) {
            // In place, a 12-row tile never occurs: a narrow B gets 8 rows, and IN_PLACE_WIDE only 4.
            microRows8(kc, a, aOff + (i0 + ir) * lda + p0, lda, alpha, s.b, bp, set, out, outAt, outLd);
        } else {
            microRows4(kc, a, aOff + (i0 + ir) * lda + p0, lda, alpha, s.b, bp, set, out, outAt, outLd);
        }
        if (full) {
            return;
        }
        for (int r = 0; r < mr; r++) {
            int cr = ct + r * ldc;
            int tr = r * NR;
            for (int j = 0; j < nr; j++) {
                c[cr + j] = overwrite ? s.tile[tr + j] : c[cr + j] + s.tile[tr + j];
            }
        }
    }

    /**
     * Packs {@code op(B)[p0 .. p0+kc, j0 .. j0+nc]} into panels of {@link #NR} columns: panel {@code q}
     * starts at {@code q·NR·kc} and holds row {@code p} at {@code + p·NR}. Columns past {@code nc} are 0.
     */
    private static void packB(boolean transB, boolean vectors, float[] b, int bOff, int ldb, int p0, int kc, int j0,
                              int nc, float[] bp, int[] gather) {
        int full = nc - nc % NR;
        if (transB && vectors && full > 0) {
            gatherPanels(b, bOff, ldb, p0, kc, j0, full, bp, gather);
            if (full == nc) {
                return;
            }
        }
        if (!transB && full > 0) {
            // Row by row across all full panels: each stored row of B is read once, in order, so the
            // hardware prefetcher streams it; walking one panel at a time read B at a stride of ldb
            // (measured on the seed model, alternating: 1-2% faster in all, within the noise).
            for (int p = 0; p < kc; p++) {
                int src = bOff + (p0 + p) * ldb + j0;
                int dst = p * NR;
                for (int jr = 0; jr < full; jr += NR, dst += NR * kc) {
                    FloatVector.fromArray(S, b, src + jr).intoArray(bp, dst);
                    FloatVector.fromArray(S, b, src + jr + V).intoArray(bp, dst + V);
                }
            }
            if (full == nc) {
                return;
            }
        }
        for (int jr = transB && !vectors ? 0 : full; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int panel = jr * kc;
            if (!transB) {
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
    private static void packA(int mr, boolean transA, float[] a, int aOff, int lda, int i0, int from, int mc, int p0,
                              int kc, float[] ap, boolean vectors, int[] gatherA) {
        int full = mc - mc % mr;
        if (!transA && vectors && full > from) {
            gatherRows(mr, a, aOff, lda, i0, from, full, p0, kc, ap, gatherA);
        } else if (!transA) {
            for (int ir = from; ir < full; ir += mr) {
                int d = ir * kc;
                for (int r = 0; r < mr; r++) {
                    int src = aOff + (i0 + ir + r) * lda + p0;
                    for (int p = 0; p < kc; p++) {
                        ap[d + p * mr + r] = a[src + p];
                    }
                }
            }
        } else {
            // A stored k × m: stored row p0 + p holds depth p of every row, so each panel's mr floats are
            // contiguous there.
            if (mr == V) {
                copyPanels(a, aOff, lda, i0, from, full, p0, kc, ap);
            } else if (vectors) {
                copyTransposed(mr, a, aOff, lda, i0, from, full, p0, kc, ap);
            } else {
                packTransposed(mr, a, aOff, lda, i0, from, full, p0, kc, ap);
            }
        }
        if (full < mc) {
            int d = full * kc;
            Arrays.fill(ap, d, d + mr * kc, 0f);
            for (int r = 0; r < mc - full; r++) {
                int i = i0 + full + r;
                for (int p = 0; p < kc; p++) {
                    ap[d + p * mr + r] = transA ? a[aOff + (p0 + p) * lda + i] : a[aOff + i * lda + p0 + p];
                }
            }
        }
    }

    /**
     * Full panels {@code 0 .. full} of a transposed B ({@code n × k} stored), with
     * {@link #VECTOR_PACKING}: row {@code p} of a panel is column {@code p} of {@code NR} stored rows,
     * one gather of the preferred species per vector.
     */
    private static void gatherPanels(float[] b, int bOff, int ldb, int p0, int kc, int j0, int full, float[] bp,
                                     int[] gather) {
        for (int i = 0; i < V; i++) {
            gather[i] = i * ldb;
        }
        for (int jr = 0; jr < full; jr += NR) {
            int src = bOff + (j0 + jr) * ldb + p0;
            int src2 = src + V * ldb;
            for (int p = 0, dst = jr * kc; p < kc; p++, dst += NR) {
                FloatVector.fromArray(S, b, src + p, gather, 0).intoArray(bp, dst);
                FloatVector.fromArray(S, b, src2 + p, gather, 0).intoArray(bp, dst + V);
            }
        }
    }

    /**
     * Full panels {@code from .. full} of a row-major A with gathers of the preferred species: a panel's
     * {@code mr} rows at depths {@code p .. p + depths} are {@code lcm(mr, V)} consecutive packed floats, so
     * one period of {@code chunks} gathers fills them (12 rows of 16 lanes: 4 depths, 3 gathers; 8 rows:
     * 2 depths, 1 gather). Depths past the last whole period are copied one by one.
     */
    private static void gatherRows(int mr, float[] a, int aOff, int lda, int i0, int from, int full, int p0, int kc,
                                   float[] ap, int[] offsets) {
        int period = mr % V == 0 ? mr : mr * V / gcd(mr, V);
        int chunks = period / V;
        int depths = period / mr;
        for (int e = 0; e < period; e++) {
            offsets[e] = (e % mr) * lda + e / mr;
        }
        int whole = kc - kc % depths;
        for (int ir = from; ir < full; ir += mr) {
            int src = aOff + (i0 + ir) * lda + p0;
            int d = ir * kc;
            for (int p = 0; p < whole; p += depths) {
                int dst = d + p * mr;
                for (int j = 0; j < chunks; j++) {
                    FloatVector.fromArray(S, a, src + p, offsets, j * V).intoArray(ap, dst + j * V);
                }
            }
            for (int r = 0; r < mr; r++) {
                for (int p = whole; p < kc; p++) {
                    ap[d + p * mr + r] = a[src + r * lda + p];
                }
            }
        }
    }

    private static int gcd(int x, int y) {
        return y == 0 ? x : gcd(y, x % y);
    }

    /**
     * {@link #packTransposed} for panels one vector tall: per depth and panel, one vector load and store.
     * A 4-row tile reads two or four tiles' rows side by side in such a panel (its depth step is {@code V}):
     * a plain copy instead of one of 4 floats, which C2 left scalar. Measured on Zen 3 (the product alone,
     * before and after, minutes apart): the weight gradient of a group ({@code dyᵀ·x}, 1024 × 256 × 1024)
     * went from 59-62 to 70 GFLOP/s, one item's (depth 128) from 58 to 62.
     */
    private static void copyPanels(float[] a, int aOff, int lda, int i0, int from, int full, int p0, int kc,
                                   float[] ap) {
        for (int p = 0; p < kc; p++) {
            int src = aOff + (p0 + p) * lda + i0;
            for (int ir = from, d = from * kc + p * V; ir < full; ir += V, d += V * kc) {
                FloatVector.fromArray(S, a, src + ir).intoArray(ap, d);
            }
        }
    }

    /**
     * {@link #packTransposed} with vector copies of the preferred species: per depth and panel, the
     * {@code mr} floats as whole vectors and a masked last one (one masked load and store where
     * {@code mr <= V}, as with 16 lanes).
     */
    private static void copyTransposed(int mr, float[] a, int aOff, int lda, int i0, int from, int full, int p0,
                                       int kc, float[] ap) {
        int whole = (mr - 1) / V * V;
        VectorMask<Float> rest = S.indexInRange(0, mr - whole);
        for (int p = 0; p < kc; p++) {
            int src = aOff + (p0 + p) * lda + i0;
            for (int ir = from, d = from * kc + p * mr; ir < full; ir += mr, d += mr * kc) {
                for (int r = 0; r < whole; r += V) {
                    FloatVector.fromArray(S, a, src + ir + r).intoArray(ap, d + r);
                }
                FloatVector.fromArray(S, a, src + ir + whole, rest).intoArray(ap, d + whole, rest);
            }
        }
    }

    /**
     * Full panels {@code from .. full} of a transposed A ({@code k × m} stored): depth {@code p} of a panel is
     * {@code mr} contiguous floats of stored row {@code p0 + p}, copied by a plain loop that C2 unrolls (an
     * arraycopy call per 8 floats cost about twice as much). Not with the Vector API: a second species
     * (256 bits for 8 floats) beside the preferred one made C2 leave some of the micro-kernels' vector
     * calls out of line, now and then, and a training pass then allocated megabytes of boxed vectors.
     */
    private static void packTransposed(int mr, float[] a, int aOff, int lda, int i0, int from, int full, int p0,
                                       int kc, float[] ap) {
        for (int p = 0; p < kc; p++) {
            int src = aOff + (p0 + p) * lda + i0;
            for (int ir = from, d = from * kc + p * mr; ir < full; ir += mr, d += mr * kc) {
                for (int r = 0; r < mr; r++) {
                    ap[d + r] = a[src + ir + r];
                }
            }
        }
    }

    /**
     * {@link #micro8} for a 4-row tile (8 accumulators: 16-register machines), its A panel 4 rows tall.
     *
     * <p>The 4-row kernels differ only in how A's depth advances, and each advances by a constant where it
     * can: C2 hoists the bounds checks of {@code a[ai + r]} out of the loop only when {@code ai}'s step is
     * a compile-time constant; with a step passed in, it kept a compare-and-branch per broadcast and depth.
     * Measured on Zen 3 (the product alone, alternating in one JVM): a group's weight gradient
     * ({@code dyᵀ·x}, 1024 × 256 × 1024) ran 16% faster with the constant step of {@link #micro4Tall} than
     * with the same step passed in; whole seed passes 2-2.4% faster for a group of 8, 9% for one item.
     */
    private static void micro4(int kc, float[] a, int at, float alpha,
                              float[] bp, int b0, boolean overwrite, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int ai = at;
        int bi = b0;
        for (int p = 0; p < kc; p++, ai += 4, bi += NR) {
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
     * {@link #micro4} reading a panel one vector tall ({@link #copyPanels}): the tile's 4 rows are 4 of the
     * panel's {@code V} floats per depth, so its depth step is {@code V}.
     */
    private static void micro4Tall(int kc, float[] a, int at, float alpha,
                              float[] bp, int b0, boolean overwrite, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int ai = at;
        int bi = b0;
        for (int p = 0; p < kc; p++, ai += V, bi += NR) {
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
     * {@link #micro4} reading a transposed A where it lies: the tile's 4 rows are 4 contiguous floats of each
     * stored row, {@code lda} apart. The one 4-row kernel whose depth step is not a constant, so its
     * broadcasts keep their bounds checks; it serves attention's narrow products only, where reading in
     * place still beats packing (Zen 3, {@code dSᵀ·q}, 128 × 32 × 128, alternating: packing into panels
     * one vector tall took 1.38× the time).
     */
    private static void microCols4(int kc, float[] a, int at, int lda, float alpha,
                              float[] bp, int b0, boolean overwrite, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int ai = at;
        int bi = b0;
        for (int p = 0; p < kc; p++, ai += lda, bi += NR) {
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

    /** {@link #microRows8} for a 4-row tile. */
    private static void microRows4(int kc, float[] a, int at, int rowStep, float alpha,
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

    /**
     * {@code C[r, j] += alpha · Σ_p A[r, p] · B[p, j]} (or {@code =}, when {@code overwrite}) for the
     * {@code 8 × NR} tile at {@code c[cAt]} (leading dimension {@code ldc}), with the packed A panel at
     * {@code a[at]} ({@code A[r, p]} at {@code + p·MR + r}, see {@link #packA}) and the B panel at
     * {@code bp[b0]}.
     *
     * <p>Per depth: two B loads, eight broadcasts at fixed offsets from one index and sixteen independent
     * fused multiply-adds. One depth per iteration, not unrolled by hand: C2 keeps the sixteen accumulators,
     * both B vectors and the broadcast in registers (19 of 32).
     *
     * <p>The tile's epilogue is written out in each micro-kernel; it cannot move to a helper. With the
     * Vector API's intrinsics inlined, each micro-kernel exhausts C2's inlining budget, a helper is left out
     * of line, and passing it the accumulators boxes them: 30 times slower, measured. Nor can the packed
     * and in-place kernels be one method branching on the layout: C2's unswitched loop ran 10-20% slower.
     */
    private static void micro8(int kc, float[] a, int at, float alpha,
                              float[] bp, int b0, boolean overwrite, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int ai = at;
        int bi = b0;
        for (int p = 0; p < kc; p++, ai += 8, bi += NR) {
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
            av = FloatVector.broadcast(S, a[ai + 4]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(S, a[ai + 5]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            av = FloatVector.broadcast(S, a[ai + 6]);
            c60 = av.fma(b0v, c60);
            c61 = av.fma(b1v, c61);
            av = FloatVector.broadcast(S, a[ai + 7]);
            c70 = av.fma(b0v, c70);
            c71 = av.fma(b1v, c71);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        int r1 = cAt + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        int r4 = r3 + ldc;
        int r5 = r4 + ldc;
        int r6 = r5 + ldc;
        int r7 = r6 + ldc;
        if (overwrite) {
            c00.mul(al).intoArray(c, cAt);
            c01.mul(al).intoArray(c, cAt + V);
            c10.mul(al).intoArray(c, r1);
            c11.mul(al).intoArray(c, r1 + V);
            c20.mul(al).intoArray(c, r2);
            c21.mul(al).intoArray(c, r2 + V);
            c30.mul(al).intoArray(c, r3);
            c31.mul(al).intoArray(c, r3 + V);
            c40.mul(al).intoArray(c, r4);
            c41.mul(al).intoArray(c, r4 + V);
            c50.mul(al).intoArray(c, r5);
            c51.mul(al).intoArray(c, r5 + V);
            c60.mul(al).intoArray(c, r6);
            c61.mul(al).intoArray(c, r6 + V);
            c70.mul(al).intoArray(c, r7);
            c71.mul(al).intoArray(c, r7 + V);
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
        c40.fma(al, FloatVector.fromArray(S, c, r4)).intoArray(c, r4);
        c41.fma(al, FloatVector.fromArray(S, c, r4 + V)).intoArray(c, r4 + V);
        c50.fma(al, FloatVector.fromArray(S, c, r5)).intoArray(c, r5);
        c51.fma(al, FloatVector.fromArray(S, c, r5 + V)).intoArray(c, r5 + V);
        c60.fma(al, FloatVector.fromArray(S, c, r6)).intoArray(c, r6);
        c61.fma(al, FloatVector.fromArray(S, c, r6 + V)).intoArray(c, r6 + V);
        c70.fma(al, FloatVector.fromArray(S, c, r7)).intoArray(c, r7);
        c71.fma(al, FloatVector.fromArray(S, c, r7 + V)).intoArray(c, r7 + V);
    }

    /**
     * {@link #micro8} with the rows of A where they lie: row {@code r} at {@code a[at + r·rowStep + p]}.
     *
     * <p>Every A row is a unit-stride run over {@code p}, so C2 hoists all bounds checks out of the loop
     * (with a run-time stride between depths it kept a compare-and-branch pair per row and depth); it still
     * spends an address computation per row.
     */
    private static void microRows8(int kc, float[] a, int at, int rowStep, float alpha,
                              float[] bp, int b0, boolean overwrite, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int a1 = at + rowStep;
        int a2 = a1 + rowStep;
        int a3 = a2 + rowStep;
        int a4 = a3 + rowStep;
        int a5 = a4 + rowStep;
        int a6 = a5 + rowStep;
        int a7 = a6 + rowStep;
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
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            av = FloatVector.broadcast(S, a[a6 + p]);
            c60 = av.fma(b0v, c60);
            c61 = av.fma(b1v, c61);
            av = FloatVector.broadcast(S, a[a7 + p]);
            c70 = av.fma(b0v, c70);
            c71 = av.fma(b1v, c71);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        int r1 = cAt + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        int r4 = r3 + ldc;
        int r5 = r4 + ldc;
        int r6 = r5 + ldc;
        int r7 = r6 + ldc;
        if (overwrite) {
            c00.mul(al).intoArray(c, cAt);
            c01.mul(al).intoArray(c, cAt + V);
            c10.mul(al).intoArray(c, r1);
            c11.mul(al).intoArray(c, r1 + V);
            c20.mul(al).intoArray(c, r2);
            c21.mul(al).intoArray(c, r2 + V);
            c30.mul(al).intoArray(c, r3);
            c31.mul(al).intoArray(c, r3 + V);
            c40.mul(al).intoArray(c, r4);
            c41.mul(al).intoArray(c, r4 + V);
            c50.mul(al).intoArray(c, r5);
            c51.mul(al).intoArray(c, r5 + V);
            c60.mul(al).intoArray(c, r6);
            c61.mul(al).intoArray(c, r6 + V);
            c70.mul(al).intoArray(c, r7);
            c71.mul(al).intoArray(c, r7 + V);
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
        c40.fma(al, FloatVector.fromArray(S, c, r4)).intoArray(c, r4);
        c41.fma(al, FloatVector.fromArray(S, c, r4 + V)).intoArray(c, r4 + V);
        c50.fma(al, FloatVector.fromArray(S, c, r5)).intoArray(c, r5);
        c51.fma(al, FloatVector.fromArray(S, c, r5 + V)).intoArray(c, r5 + V);
        c60.fma(al, FloatVector.fromArray(S, c, r6)).intoArray(c, r6);
        c61.fma(al, FloatVector.fromArray(S, c, r6 + V)).intoArray(c, r6 + V);
        c70.fma(al, FloatVector.fromArray(S, c, r7)).intoArray(c, r7);
        c71.fma(al, FloatVector.fromArray(S, c, r7 + V)).intoArray(c, r7 + V);
    }

    /** {@link #micro8} for a 12-row tile (24 accumulators, 27 of 32 registers live). */
    private static void micro12(int kc, float[] a, int at, float alpha,
                              float[] bp, int b0, boolean overwrite, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        FloatVector c80 = FloatVector.zero(S), c81 = FloatVector.zero(S);
        FloatVector c90 = FloatVector.zero(S), c91 = FloatVector.zero(S);
        FloatVector c10_0 = FloatVector.zero(S), c10_1 = FloatVector.zero(S);
        FloatVector c11_0 = FloatVector.zero(S), c11_1 = FloatVector.zero(S);
        int ai = at;
        int bi = b0;
        for (int p = 0; p < kc; p++, ai += 12, bi += NR) {
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
            av = FloatVector.broadcast(S, a[ai + 4]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(S, a[ai + 5]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            av = FloatVector.broadcast(S, a[ai + 6]);
            c60 = av.fma(b0v, c60);
            c61 = av.fma(b1v, c61);
            av = FloatVector.broadcast(S, a[ai + 7]);
            c70 = av.fma(b0v, c70);
            c71 = av.fma(b1v, c71);
            av = FloatVector.broadcast(S, a[ai + 8]);
            c80 = av.fma(b0v, c80);
            c81 = av.fma(b1v, c81);
            av = FloatVector.broadcast(S, a[ai + 9]);
            c90 = av.fma(b0v, c90);
            c91 = av.fma(b1v, c91);
            av = FloatVector.broadcast(S, a[ai + 10]);
            c10_0 = av.fma(b0v, c10_0);
            c10_1 = av.fma(b1v, c10_1);
            av = FloatVector.broadcast(S, a[ai + 11]);
            c11_0 = av.fma(b0v, c11_0);
            c11_1 = av.fma(b1v, c11_1);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        int r1 = cAt + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        int r4 = r3 + ldc;
        int r5 = r4 + ldc;
        int r6 = r5 + ldc;
        int r7 = r6 + ldc;
        int r8 = r7 + ldc;
        int r9 = r8 + ldc;
        int r10 = r9 + ldc;
        int r11 = r10 + ldc;
        if (overwrite) {
            c00.mul(al).intoArray(c, cAt);
            c01.mul(al).intoArray(c, cAt + V);
            c10.mul(al).intoArray(c, r1);
            c11.mul(al).intoArray(c, r1 + V);
            c20.mul(al).intoArray(c, r2);
            c21.mul(al).intoArray(c, r2 + V);
            c30.mul(al).intoArray(c, r3);
            c31.mul(al).intoArray(c, r3 + V);
            c40.mul(al).intoArray(c, r4);
            c41.mul(al).intoArray(c, r4 + V);
            c50.mul(al).intoArray(c, r5);
            c51.mul(al).intoArray(c, r5 + V);
            c60.mul(al).intoArray(c, r6);
            c61.mul(al).intoArray(c, r6 + V);
            c70.mul(al).intoArray(c, r7);
            c71.mul(al).intoArray(c, r7 + V);
            c80.mul(al).intoArray(c, r8);
            c81.mul(al).intoArray(c, r8 + V);
            c90.mul(al).intoArray(c, r9);
            c91.mul(al).intoArray(c, r9 + V);
            c10_0.mul(al).intoArray(c, r10);
            c10_1.mul(al).intoArray(c, r10 + V);
            c11_0.mul(al).intoArray(c, r11);
            c11_1.mul(al).intoArray(c, r11 + V);
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
        c40.fma(al, FloatVector.fromArray(S, c, r4)).intoArray(c, r4);
        c41.fma(al, FloatVector.fromArray(S, c, r4 + V)).intoArray(c, r4 + V);
        c50.fma(al, FloatVector.fromArray(S, c, r5)).intoArray(c, r5);
        c51.fma(al, FloatVector.fromArray(S, c, r5 + V)).intoArray(c, r5 + V);
        c60.fma(al, FloatVector.fromArray(S, c, r6)).intoArray(c, r6);
        c61.fma(al, FloatVector.fromArray(S, c, r6 + V)).intoArray(c, r6 + V);
        c70.fma(al, FloatVector.fromArray(S, c, r7)).intoArray(c, r7);
        c71.fma(al, FloatVector.fromArray(S, c, r7 + V)).intoArray(c, r7 + V);
        c80.fma(al, FloatVector.fromArray(S, c, r8)).intoArray(c, r8);
        c81.fma(al, FloatVector.fromArray(S, c, r8 + V)).intoArray(c, r8 + V);
        c90.fma(al, FloatVector.fromArray(S, c, r9)).intoArray(c, r9);
        c91.fma(al, FloatVector.fromArray(S, c, r9 + V)).intoArray(c, r9 + V);
        c10_0.fma(al, FloatVector.fromArray(S, c, r10)).intoArray(c, r10);
        c10_1.fma(al, FloatVector.fromArray(S, c, r10 + V)).intoArray(c, r10 + V);
        c11_0.fma(al, FloatVector.fromArray(S, c, r11)).intoArray(c, r11);
        c11_1.fma(al, FloatVector.fromArray(S, c, r11 + V)).intoArray(c, r11 + V);
    }
}
