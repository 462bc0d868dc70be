package org.cllmlab.core.model;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.memory.MemoryLedger;

/**
 * A manual timing of one {@code seed}-preset item (128 positions) forward + backward per kernel, and of the
 * non-product operations alone at the same shapes. Not a test: run its {@code main} from the test class path.
 * Times are the thread's CPU time (less sensitive to other processes on a shared machine than wall time).
 */
public final class SeedStepTiming {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /** Wraps a kernel and adds up the CPU time spent inside gemm. */
    static final class Timed implements Kernels {
        final Kernels inner;
        long nanos;

        Timed(Kernels inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                         int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
            long t = MX.getCurrentThreadCpuTime();
            inner.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            nanos += MX.getCurrentThreadCpuTime() - t;
        }
    }

    public static void main(String[] args) {
        // By default every kernel this JVM can run ("vector" needs --add-modules jdk.incubator.vector).
        String[] names = args.length > 0 ? args : Kernels.NAMES.stream()
                .filter(n -> !n.equals("vector") || Kernels.vectorApiAvailable()).toArray(String[]::new);
        ModelConfig config = Preset.SEED.config(800);
        SplittableRandom rnd = new SplittableRandom(1);
        int[] tokens = TransformerGradientTest.randomTokens(rnd, config.seq(), config.vocab());
        int[] targets = TransformerGradientTest.randomTokens(rnd, config.seq(), config.vocab());
        for (int round = 0; round < 3; round++) {
            for (String name : names) {
                Timed kernels = new Timed(Kernels.byName(name));
                Transformer model = new Transformer(config, kernels);
                float[] p = new float[model.layout().size()];
                model.initialize(p, 1);
                float[] g = new float[p.length];
                ActivationCache cache = model.newCache(config.seq(), new MemoryLedger());
                int reps = name.equals("reference") ? 3 : 15;
                long fwd = 0;
                long all = 0;
                for (int r = 0; r < reps + 2; r++) {
                    if (r == 2) {
                        fwd = 0;
                        all = 0;
                        kernels.nanos = 0;
                    }
                    long t0 = MX.getCurrentThreadCpuTime();
                    model.forward(p, tokens, targets, 0, config.seq(), cache);
                    long t1 = MX.getCurrentThreadCpuTime();
                    model.backward(p, cache, 1f, GradientSink.of(g));
                    long t2 = MX.getCurrentThreadCpuTime();
                    fwd += t1 - t0;
                    all += t2 - t0;
                }
                System.out.printf("round %d %-9s forward %7.1f ms  forward+backward %7.1f ms  of which gemm %7.1f ms (%.0f%%)%n",
                        round, name, fwd / 1e6 / reps, all / 1e6 / reps, kernels.nanos / 1e6 / reps,
                        100.0 * kernels.nanos / all);
            }
        }
        opsAlone(config);
    }

    /** The element-wise and row-wise operations of one item, timed alone (all layers). */
    private static void opsAlone(ModelConfig config) {
        int len = config.seq();
        int d = config.dModel();
        int ff = config.dFf();
        int v = config.vocab();
        int layers = config.layers();
        int heads = config.heads();
        SplittableRandom rnd = new SplittableRandom(2);
        float[] h = GradCheck.gaussian(rnd, len * ff, 1.0);
        float[] out = new float[len * ff];
        float[] x = GradCheck.gaussian(rnd, len * d, 1.0);
        float[] p = GradCheck.gaussian(rnd, 2 * d, 1.0);
        float[] ln = new float[len * d];
        float[] mean = new float[len];
        float[] rstd = new float[len];
        float[] dx = new float[len * d];
        float[] gp = new float[2 * d];
        float[] logits = GradCheck.gaussian(rnd, len * v, 1.0);
        float[] dLogits = new float[len * v];
        int[] targets = TransformerGradientTest.randomTokens(rnd, len, v);
        float[] qkv = GradCheck.gaussian(rnd, len * 3 * d, 1.0);
        float[] att = new float[heads * len * len];
        float[] attY = new float[len * d];
        float[] dAtt = new float[len * len];
        float[] dQkv = new float[len * 3 * d];
        Kernels blocked = Kernels.byName("blocked");
        Timed timedBlocked = new Timed(blocked);
        for (int round = 0; round < 3; round++) {
            int reps = 10;
            long gelu = 0;
            long norm = 0;
            long ce = 0;
            long attn = 0;
            timedBlocked.nanos = 0;
            for (int r = 0; r < reps; r++) {
                long t0 = MX.getCurrentThreadCpuTime();
                for (int l = 0; l < layers; l++) {
                    Ops.geluForward(h, out, len * ff);
                    Ops.geluBackward(h, out, out, len * ff);
                }
                long t1 = MX.getCurrentThreadCpuTime();
                for (int l = 0; l < 2 * layers + 1; l++) {
                    Ops.layerNormForward(x, len, d, p, 0, d, ln, mean, rstd);
                    Ops.layerNormBackward(ln, x, mean, rstd, len, d, p, 0, dx, gp, 0, d);
                }
                long t2 = MX.getCurrentThreadCpuTime();
                Ops.crossEntropyForward(logits, len, v, targets, 0);
                Ops.crossEntropyBackward(logits, len, v, targets, 0, 1f, dLogits);
                long t3 = MX.getCurrentThreadCpuTime();
                for (int l = 0; l < layers; l++) {
                    Ops.attentionForward(timedBlocked, qkv, len, d, heads, att, attY);
                    Ops.attentionBackward(timedBlocked, qkv, att, attY, len, d, heads, dAtt, dQkv);
                }
                long t4 = MX.getCurrentThreadCpuTime();
                gelu += t1 - t0;
                norm += t2 - t1;
                ce += t3 - t2;
                attn += t4 - t3;
            }
            System.out.printf("round %d per item, all layers: GELU fwd+bwd %6.2f ms  LayerNorm fwd+bwd %6.2f ms  "
                            + "cross-entropy fwd+bwd %6.2f ms  attention fwd+bwd %6.2f ms (of which blocked gemm %6.2f ms, softmax etc. %6.2f ms)%n",
                    round, gelu / 1e6 / reps, norm / 1e6 / reps, ce / 1e6 / reps, attn / 1e6 / reps,
                    timedBlocked.nanos / 1e6 / reps, (attn - timedBlocked.nanos) / 1e6 / reps);
        }
    }

    private SeedStepTiming() {
    }
}
