package org.cllmlab.experiments.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cllmlab.core.kernel.Kernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The matrix products of one {@code seed}-preset item (128 positions, d = 256, ff = 1024, 8 heads of 32,
 * vocabulary 800), called exactly as {@code Transformer} calls them, on one thread.
 *
 * <p>Scores are GFLOP/s: each method declares {@code @OperationsPerInvocation(2·m·n·k / 1000)} and the
 * unit is ops/µs, and {@code (flops/1000) per µs = 10⁹ flops per s}. (The divisor rounds by at most one
 * part in 10⁴.)
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemmBenchmark {

    static final int L = 128;
    static final int D = 256;
    static final int FF = 1024;
    static final int VOCAB = 800;
    static final int HD = 32;

    @Param({"reference", "blocked", "vector"})
    public String kernel;

    private Kernels k;
    private float[] x;      // [L, D] activations
    private float[] w;      // [FF, D] weight
    private float[] dy;     // [L, FF] output gradient
    private float[] h;      // [L, FF] output / input gradient buffer
    private float[] gW;     // [FF, D] weight gradient
    private float[] dx;     // [L, D]
    private float[] qkv;    // [L, 3D]
    private float[] att;    // [L, L]
    private float[] y;      // [L, D]
    private float[] emb;    // [VOCAB, D]
    private float[] logits; // [L, VOCAB]

    @Setup
    public void setUp() {
        k = Kernels.byName(kernel);
        SplittableRandom rnd = new SplittableRandom(1);
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
    }

    /** fc1 forward: {@code [128×256]·[1024×256]ᵀ} (NT), 67.1 MFLOP. */
    @Benchmark
    @OperationsPerInvocation(2 * L * FF * D / 1000)
    public float[] linearForward() {
        k.gemm(false, true, L, FF, D, 1f, x, 0, D, w, 0, D, 0f, h, 0, FF);
        return h;
    }

    /** fc1 input gradient: {@code [128×1024]·[1024×256]} (NN), 67.1 MFLOP. */
    @Benchmark
    @OperationsPerInvocation(2 * L * FF * D / 1000)
    public float[] linearBackwardInput() {
        k.gemm(false, false, L, D, FF, 1f, dy, 0, FF, w, 0, D, 0f, dx, 0, D);
        return dx;
    }

    /** fc1 weight gradient: {@code [128×1024]ᵀ·[128×256]} (TN, accumulating), 67.1 MFLOP. */
    @Benchmark
    @OperationsPerInvocation(2 * L * FF * D / 1000)
    public float[] linearBackwardWeight() {
        k.gemm(true, false, FF, D, L, 1f, dy, 0, FF, x, 0, D, 1f, gW, 0, D);
        return gW;
    }

    /** Attention scores of one head: {@code q·kᵀ/√32}, {@code [128×32]·[128×32]ᵀ} read from the fused qkv rows (lda = 768), 1.05 MFLOP. */
    @Benchmark
    @OperationsPerInvocation(2 * L * L * HD / 1000)
    public float[] attentionScores() {
        k.gemm(false, true, L, L, HD, 0.17677669f, qkv, 0, 3 * D, qkv, D, 3 * D, 0f, att, 0, L);
        return att;
    }

    /** Attention output of one head: {@code P·v}, {@code [128×128]·[128×32]} (NN, ldb = 768, ldc = 256), 1.05 MFLOP. */
    @Benchmark
    @OperationsPerInvocation(2 * L * L * HD / 1000)
    public float[] attentionValues() {
        k.gemm(false, false, L, HD, L, 1f, att, 0, L, qkv, 2 * D, 3 * D, 0f, y, 0, D);
        return y;
    }

    /** Tied output head: {@code [128×256]·[800×256]ᵀ} (NT), 52.4 MFLOP. */
    @Benchmark
    @OperationsPerInvocation(2 * L * VOCAB * D / 1000)
    public float[] head() {
        k.gemm(false, true, L, VOCAB, D, 1f, x, 0, D, emb, 0, D, 0f, logits, 0, VOCAB);
        return logits;
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return a;
    }
}
