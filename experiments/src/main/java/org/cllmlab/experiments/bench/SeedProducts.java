package org.cllmlab.experiments.bench;

import java.util.SplittableRandom;
import org.cllmlab.core.kernel.Kernels;

/**
 * The matrix products of one {@code seed}-preset item (128 positions, d = 256, ff = 1024, 8 heads of 32,
 * vocabulary 800), called exactly as {@code Transformer} calls them, and fc1's products over a group of 8
 * items (1,024 positions), as a worker runs them when it has 8 or more items per step: the shapes that
 * {@link GemmBenchmark} and {@link KernelEfficiency} time.
 */
public enum SeedProducts {

    /** fc1 forward: {@code [128×256]·[1024×256]ᵀ} (NT), 67.1 MFLOP. */
    LINEAR_FORWARD("linearForward", "x·Wᵀ (NT) 128×1024×256", SeedProducts.L, SeedProducts.FF, SeedProducts.D) {
        @Override
        public float[] run(Kernels k, Operands o) {
            k.gemm(false, true, L, FF, D, 1f, o.x, 0, D, o.w, 0, D, 0f, o.h, 0, FF);
            return o.h;
        }
    },
    /** fc1 input gradient: {@code [128×1024]·[1024×256]} (NN), 67.1 MFLOP. */
    LINEAR_BACKWARD_INPUT("linearBackwardInput", "dy·W (NN) 128×256×1024", SeedProducts.L,
            SeedProducts.D, SeedProducts.FF) {
        @Override
        public float[] run(Kernels k, Operands o) {
            k.gemm(false, false, L, D, FF, 1f, o.dy, 0, FF, o.w, 0, D, 0f, o.dx, 0, D);
            return o.dx;
        }
    },
    /** fc1 weight gradient: {@code [128×1024]ᵀ·[128×256]} (TN, accumulating), 67.1 MFLOP. */
    LINEAR_BACKWARD_WEIGHT("linearBackwardWeight", "dyᵀ·x (TN) 1024×256×128", SeedProducts.FF,
            SeedProducts.D, SeedProducts.L) {
        @Override
        public float[] run(Kernels k, Operands o) {
            k.gemm(true, false, FF, D, L, 1f, o.dy, 0, FF, o.x, 0, D, 1f, o.gW, 0, D);
            return o.gW;
        }
    },
    /** Attention scores of one head, {@code q·kᵀ/√32} from the fused qkv rows (lda = 768), 1.05 MFLOP. */
    ATTENTION_SCORES("attentionScores", "q·kᵀ/√32 (NT) 128×128×32", SeedProducts.L,
            SeedProducts.L, SeedProducts.HD) {
        @Override
        public float[] run(Kernels k, Operands o) {
            k.gemm(false, true, L, L, HD, 0.17677669f, o.qkv, 0, 3 * D, o.qkv, D, 3 * D, 0f, o.att, 0, L);
            return o.att;
        }
    },
    /** Attention output of one head, {@code P·v} (NN, ldb = 768, ldc = 256), 1.05 MFLOP. */
    ATTENTION_VALUES("attentionValues", "P·v (NN) 128×32×128", SeedProducts.L,
            SeedProducts.HD, SeedProducts.L) {
        @Override
        public float[] run(Kernels k, Operands o) {
            k.gemm(false, false, L, HD, L, 1f, o.att, 0, L, o.qkv, 2 * D, 3 * D, 0f, o.y, 0, D);
            return o.y;
        }
    },
    /** Tied output head: {@code [128×256]·[800×256]ᵀ} (NT), 52.4 MFLOP. */
    HEAD("head", "x·Eᵀ (NT) 128×800×256", SeedProducts.L, SeedProducts.VOCAB, SeedProducts.D) {
        @Override
        public float[] run(Kernels k, Operands o) {
            k.gemm(false, true, L, VOCAB, D, 1f, o.x, 0, D, o.emb, 0, D, 0f, o.logits, 0, VOCAB);
            return o.logits;
        }
    },
    /**
     * fc1 forward over a group of 8 items stacked in one cache, as a worker runs it at 1 or 2 workers
     * ({@code ParallelTrainer.groupFor}): {@code [1024×256]·[1024×256]ᵀ} (NT), 537 MFLOP.
     */
    GROUP_FORWARD("groupForward", "x·Wᵀ (NT) 1024×1024×256", SeedProducts.G, SeedProducts.FF,
            SeedProducts.D) {
        @Override
        public float[] run(Kernels k, Operands o) {
            k.gemm(false, true, G, FF, D, 1f, o.gx, 0, D, o.w, 0, D, 0f, o.gh, 0, FF);
            return o.gh;
        }
    },
    /** fc1 input gradient over a group of 8: {@code [1024×1024]·[1024×256]} (NN), 537 MFLOP. */
    GROUP_BACKWARD_INPUT("groupBackwardInput", "dy·W (NN) 1024×256×1024", SeedProducts.G,
            SeedProducts.D, SeedProducts.FF) {
        @Override
        public float[] run(Kernels k, Operands o) {
            k.gemm(false, false, G, D, FF, 1f, o.gdy, 0, FF, o.w, 0, D, 0f, o.gdx, 0, D);
            return o.gdx;
        }
    },
    /** fc1 weight gradient over a group of 8: {@code [1024×1024]ᵀ·[1024×256]} (TN, accumulating), 537 MFLOP. */
    GROUP_BACKWARD_WEIGHT("groupBackwardWeight", "dyᵀ·x (TN) 1024×256×1024", SeedProducts.FF,
            SeedProducts.D, SeedProducts.G) {
        @Override
        public float[] run(Kernels k, Operands o) {
            k.gemm(true, false, FF, D, G, 1f, o.gdy, 0, FF, o.gx, 0, D, 1f, o.gW, 0, D);
            return o.gW;
        }
    };

    static final int L = 128;
    static final int D = 256;
    static final int FF = 1024;
    static final int VOCAB = 800;
    static final int HD = 32;
    /** Rows of a group of 8 items. */
    static final int G = 8 * L;

    private final String id;
    private final String description;
    private final long flops;

    SeedProducts(String id, String description, int m, int n, int k) {
        this.id = id;
        this.description = description;
        this.flops = 2L * m * n * k;
    }

    /** The benchmark method's name, e.g. {@code linearForward}. */
    public String id() {
        return id;
    }

    /** The product, its layout and its shape {@code m×n×k}. */
    public String description() {
        return description;
    }

    /** Floating-point operations of one call ({@code 2·m·n·k}). */
    public long flops() {
        return flops;
    }

    /** Calls the product once; returns its output so a caller can keep the work alive. */
    public abstract float[] run(Kernels kernels, Operands operands);

    /** The arrays of one item, random in [-1, 1), shared by all products. */
    public static final class Operands {
        final float[] x;      // [L, D] activations
        final float[] w;      // [FF, D] weight
        final float[] dy;     // [L, FF] output gradient
        final float[] h;      // [L, FF] output
        final float[] gW;     // [FF, D] weight gradient
        final float[] dx;     // [L, D]
        final float[] qkv;    // [L, 3D]
        final float[] att;    // [L, L]
        final float[] y;      // [L, D]
        final float[] emb;    // [VOCAB, D]
        final float[] logits; // [L, VOCAB]
        final float[] gx;     // [G, D] a group's activations
        final float[] gdy;    // [G, FF] a group's output gradient
        final float[] gh;     // [G, FF]
        final float[] gdx;    // [G, D]

        public Operands(long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            x = random(rnd, L * D);
            w = random(rnd, FF * D);
            dy = random(rnd, L * FF);
            h = new float[L * FF];
            gW = new float[FF * D];
            dx = new float[L * D];
            qkv = random(rnd, L * 3 * D);
            att = random(rnd, L * L);
            y = new float[L * D];
            emb = random(rnd, VOCAB * D);
            logits = new float[L * VOCAB];
            gx = random(rnd, G * D);
            gdy = random(rnd, G * FF);
            gh = new float[G * FF];
            gdx = new float[G * D];
        }

        private static float[] random(SplittableRandom rnd, int n) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) (rnd.nextDouble() * 2 - 1);
            }
            return a;
        }
    }
}
