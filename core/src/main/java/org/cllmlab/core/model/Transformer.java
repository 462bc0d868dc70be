package org.cllmlab.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.memory.MemoryLedger;

/**
 * The GPT-style decoder. Stateless apart from its shape and kernels: forward and backward read the
 * flat parameter buffer and write only into the caller's {@link ActivationCache} and {@link GradientSink},
 * so any number of threads may run them at once on their own caches.
 *
 * <p>Architecture: token + learned position embeddings; {@code layers} pre-LayerNorm blocks, each
 * {@code x += proj(causalAttention(LN1(x)))} then {@code x += fc2(gelu(fc1(LN2(x))))}, with a fused
 * {@code [3d, d]} q/k/v projection; a final LayerNorm; logits {@code = x · tokEmbᵀ} (head tied to the
 * token embedding, no bias); mean cross-entropy over positions. GELU is the tanh approximation (as
 * PyTorch's {@code gelu(approximate='tanh')}); LayerNorm eps is 1e-5. Every matrix product goes through
 * {@link Kernels#gemm}; the operations themselves live in {@code Ops}.
 */
public final class Transformer {

    /** Standard deviation of the initial weights, as in GPT-2. */
    public static final double INIT_STD = 0.02;

    private final ModelConfig config;
    private final ParameterLayout layout;
    private final Kernels kernels;
    /** The time counters of every cache this model made (see {@link #profile()}). */
    private final List<long[]> cacheTimes = new CopyOnWriteArrayList<>();

    public Transformer(ModelConfig config, Kernels kernels) {
        this.config = config;
        this.layout = new ParameterLayout(config);
        this.kernels = kernels;
    }

    public ModelConfig config() {
        return config;
    }

    public ParameterLayout layout() {
        return layout;
    }

    public Kernels kernels() {
        return kernels;
    }

    /**
     * Fills {@code params} deterministically from {@code seed}: weights and embeddings ~ N(0, 0.02²) (the
     * residual projections {@code w_proj} and {@code w_fc2} scaled by {@code 1/sqrt(2·layers)}), LayerNorm
     * gains 1, all biases 0. Normals come from {@link SplittableRandom} via Box–Muller, drawn tensor by
     * tensor in layout order, so the result does not depend on the JDK's Gaussian implementation.
     */
    public void initialize(float[] params, long seed) {
        checkParams(params);
        SplittableRandom rnd = new SplittableRandom(seed);
        double residualStd = INIT_STD / Math.sqrt(2.0 * config.layers());
        for (ParameterLayout.Tensor t : layout.tensors()) {
            String name = t.name();
            int from = t.offset();
            int to = from + t.size();
            if (name.endsWith(".gain")) {
                Arrays.fill(params, from, to, 1f);
            } else if (name.endsWith(".bias") || name.contains(".b_")) {
                Arrays.fill(params, from, to, 0f);
            } else {
                double std = name.endsWith(".w_proj") || name.endsWith(".w_fc2") ? residualStd : INIT_STD;
                for (int i = from; i < to; i++) {
                    params[i] = (float) (std * gaussian(rnd));
                }
            }
        }
    }

    private static double gaussian(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble(); // (0, 1]
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** A cache able to hold {@code capacityRows >= seq} positions, ledgered as activations/workspace. */
    public ActivationCache newCache(int capacityRows, MemoryLedger ledger) {
        ActivationCache cache = new ActivationCache(config, capacityRows, ledger);
        cacheTimes.add(cache.opNanos);
        return cache;
    }

    /**
     * A cache for forward passes only (validation, sampling): about a layer's worth of buffers instead of
     * every layer's, and no backward scratch (at {@code seed}, 3 MiB instead of 16). {@link #backward} refuses it.
     */
    public ActivationCache newForwardCache(int capacityRows, MemoryLedger ledger) {
        ActivationCache cache = new ActivationCache(config, capacityRows, ledger, true);
        cacheTimes.add(cache.opNanos);
        return cache;
    }

    /**
     * Where the forward and backward passes of every cache this model made ({@link #newCache}) spent their
     * time since the caches were made or last {@link #resetProfile reset}: the sum of
     * {@link ActivationCache#profile()} over them. Each cache counts its own passes, so workers never
     * contend on a counter; this sums them without synchronisation, so call it while no pass runs (for
     * example between steps: the step's barrier orders the workers' counts before it). The timing costs
     * about thirty {@code System.nanoTime()} calls per layer and pass, so it is always on.
     */
    public OpTimes profile() {
        OpTimes sum = OpTimes.ZERO;
        for (long[] times : cacheTimes) {
            sum = sum.plus(OpTimes.of(times));
        }
        return sum;
    }

    /** Zeroes the counters {@link #profile()} sums (for example after warm-up); call it while no pass runs. */
    public void resetProfile() {
        for (long[] times : cacheTimes) {
            Arrays.fill(times, 0);
        }
    }

    /**
     * Runs the forward pass and the loss on {@code length} positions starting at {@code offset}.
     *
     * @return the mean cross-entropy over the positions
     */
    public float forward(float[] params, int[] tokens, int[] targets, int offset, int length, ActivationCache cache) {
        return (float) forwardLoss(params, tokens, targets, offset, length, cache);
    }

    /** {@link #forward} with the loss in double precision (its mean is accumulated in double). */
    public double forwardLoss(float[] params, int[] tokens, int[] targets, int offset, int length,
                              ActivationCache cache) {
        if (targets == null) {
            throw new IllegalArgumentException("targets: null; expected next-token targets");
        }
        checkParams(params);
        begin(cache);
        append(cache, tokens, targets, offset, length);
        run(params, cache);
        cache.hasTargets = true;
        long t = System.nanoTime();
        double loss = Ops.crossEntropyForward(cache.logits, length, config.vocab(), cache.targets, 0);
        cache.lap(OpTimes.CROSS_ENTROPY, t);
        return loss;
    }

    /**
     * Runs the forward pass and the loss of {@code items[0 .. count)} as one pass: their positions are
     * stacked in {@code cache}, so every matrix product with the weights runs once over all of them (each
     * weight is packed once per group instead of once per item, and a weight gradient's every block is
     * touched once), while attention, the position embeddings and the loss stay per item. The result
     * equals {@code count} single-item passes up to float rounding. {@link #backward} then runs backward
     * over the whole group.
     *
     * @param losses receives each item's mean cross-entropy, {@code losses[i]} for {@code items[i]}
     */
    public void forward(float[] params, WorkItem[] items, int count, ActivationCache cache, float[] losses) {
        checkParams(params);
        if (count < 1 || count > items.length || losses.length < count) {
            throw new IllegalArgumentException("count: " + count + "; expected 1.." + Math.min(items.length,
                    losses.length));
        }
        begin(cache);
        for (int i = 0; i < count; i++) {
            WorkItem it = items[i];
            if (it.targets() == null) {
                throw new IllegalArgumentException("items[" + i + "].targets: null; expected next-token targets");
            }
            append(cache, it.tokens(), it.targets(), it.offset(), it.length());
        }
        run(params, cache);
        cache.hasTargets = true;
        long t = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int r0 = cache.starts[i];
            losses[i] = (float) Ops.crossEntropyForward(cache.logits, r0, cache.starts[i + 1] - r0, config.vocab(),
                    cache.targets, r0);
        }
        cache.lap(OpTimes.CROSS_ENTROPY, t);
    }

    /**
     * Runs the forward pass on {@code length} positions starting at {@code offset} and copies the logits,
     * {@code [length, vocab]} row-major, into {@code out}. Leaves {@code cache} without targets, so it
     * cannot be run backward until the next {@link #forward}.
     */
    public void logits(float[] params, int[] tokens, int offset, int length, ActivationCache cache, float[] out) {
        if (out.length < length * config.vocab()) {
            throw new IllegalArgumentException("out: length " + out.length + "; expected >= " + length * config.vocab());
        }
        checkParams(params);
        begin(cache);
        append(cache, tokens, null, offset, length);
        run(params, cache);
        System.arraycopy(cache.logits, 0, out, 0, length * config.vocab());
    }

    /** Empties {@code c} for a new pass. */
    private static void begin(ActivationCache c) {
        c.length = 0;
        c.items = 0;
        c.starts[0] = 0;
        c.hasTargets = false;
    }

    /** Checks one item's tokens (and targets, unless null) and copies them after the items already in {@code c}. */
    private void append(ActivationCache c, int[] tokens, int[] targets, int offset, int length) {
        int r0 = c.length;
        int room = Math.min(config.seq(), c.capacityRows - r0);
        if (length <= 0 || length > room) {
            throw new IllegalArgumentException("length: " + length + "; expected 1.." + room
                    + (r0 == 0 ? "" : " (the cache holds " + r0 + " of its " + c.capacityRows + " positions)"));
        }
        int vocab = config.vocab();
        for (int t = 0; t < length; t++) {
            int tok = tokens[offset + t];
            if (tok < 0 || tok >= vocab) {
                throw new IllegalArgumentException("tokens[" + (offset + t) + "]: " + tok + "; expected 0.." + (vocab - 1));
            }
            c.tokens[r0 + t] = tok;
            if (targets != null) {
                int target = targets[offset + t];
                if (target < 0 || target >= vocab) {
                    throw new IllegalArgumentException("targets[" + (offset + t) + "]: " + target + "; expected 0.."
                            + (vocab - 1));
                }
                c.targets[r0 + t] = target;
            }
        }
        c.length = r0 + length;
        c.items++;
        c.starts[c.items] = c.length;
    }

    /**
     * Where the attention probabilities of the item at row {@code r0} start in a layer's {@code att} buffer
     * ({@code [heads, capacity, seq]}): its {@code heads·L·L} floats fit below {@code heads·seq·(r0 + L)}.
     */
    private int attentionAt(int r0) {
        return config.heads() * config.seq() * r0;
    }

    /** The forward pass over every item in {@code c}, up to the logits. */
    private void run(float[] params, ActivationCache c) {
        int length = c.length;
        int d = config.dModel();
        int ff = config.dFf();
        int vocab = config.vocab();
        int heads = config.heads();

        long t = System.nanoTime();
        for (int i = 0; i < c.items; i++) {
            int r0 = c.starts[i];
            Ops.embeddingForward(params, layout.tokenEmbedding(), layout.positionEmbedding(), d,
                    c.tokens, r0, c.starts[i + 1] - r0, c.x[0], r0);
        }
        t = c.lap(OpTimes.RESIDUAL, t);
        for (int l = 0; l < config.layers(); l++) {
            ParameterLayout.Block b = layout.block(l);
            float[] x = c.x[l];
            Ops.layerNormForward(x, length, d, params, b.ln1Gain(), b.ln1Bias(), c.ln1Out[l], c.ln1Mean[l], c.ln1Rstd[l]);
            t = c.lap(OpTimes.LAYER_NORM, t);
            Ops.linearForward(kernels, c.ln1Out[l], length, d, params, b.wQkv(), b.bQkv(), 3 * d, c.qkv[l]);
            t = c.lap(OpTimes.PRODUCTS, t);
            for (int i = 0; i < c.items; i++) {
                int r0 = c.starts[i];
                t = Ops.attentionForward(kernels, c.qkv[l], r0, c.starts[i + 1] - r0, d, heads, c.att[l],
                        attentionAt(r0), c.attY[l], Ops.ATTENTION_ROW_BLOCK, c.opNanos, t);
            }
            // xMid = x + attY · w_projᵀ + b_proj: the residual and the bias first, then the product adds to them.
            Ops.addBias(x, params, b.bProj(), length, d, c.xMid[l]);
            t = c.lap(OpTimes.RESIDUAL, t);
            Ops.linearAccumulate(kernels, c.attY[l], length, d, params, b.wProj(), d, c.xMid[l]);
            t = c.lap(OpTimes.PRODUCTS, t);
            Ops.layerNormForward(c.xMid[l], length, d, params, b.ln2Gain(), b.ln2Bias(), c.ln2Out[l], c.ln2Mean[l], c.ln2Rstd[l]);
            t = c.lap(OpTimes.LAYER_NORM, t);
            Ops.linearForward(kernels, c.ln2Out[l], length, d, params, b.wFc1(), b.bFc1(), ff, c.fc1[l]);
            t = c.lap(OpTimes.PRODUCTS, t);
            Ops.geluForward(c.fc1[l], c.gelu[l], length * ff);
            t = c.lap(OpTimes.GELU, t);
            float[] next = c.x[l + 1];
            Ops.addBias(c.xMid[l], params, b.bFc2(), length, d, next);
            t = c.lap(OpTimes.RESIDUAL, t);
            Ops.linearAccumulate(kernels, c.gelu[l], length, ff, params, b.wFc2(), d, next);
            t = c.lap(OpTimes.PRODUCTS, t);
        }
        Ops.layerNormForward(c.x[config.layers()], length, d, params, layout.lnfGain(), layout.lnfBias(),
                c.lnfOut, c.lnfMean, c.lnfRstd);
        t = c.lap(OpTimes.LAYER_NORM, t);
        Ops.linearForward(kernels, c.lnfOut, length, d, params, layout.tokenEmbedding(), -1, vocab, c.logits);
        c.lap(OpTimes.PRODUCTS, t);
    }

    /**
     * Backward of the last {@link #forward} on {@code cache}; adds {@code scale ×} the gradient into {@code sink}.
     * After a group's forward, that is {@code scale ×} the sum of the items' gradients.
     */
    public void backward(float[] params, ActivationCache cache, float scale, GradientSink sink) {
        checkParams(params);
        ActivationCache c = cache;
        if (c.forwardOnly) {
            throw new IllegalStateException("backward: a forward-only cache keeps one layer's activations; expected a"
                    + " cache from newCache");
        }
        if (c.length == 0 || !c.hasTargets) {
            throw new IllegalStateException("backward: the cache holds no forward pass with targets; run forward first");
        }
        int length = c.length;
        int d = config.dModel();
        int ff = config.dFf();
        int vocab = config.vocab();
        ParameterLayout.Segment embeddings = layout.embeddingSegment();

        // Loss and head. The scale enters here, so every later gradient carries it.
        long t = System.nanoTime();
        for (int i = 0; i < c.items; i++) {
            int r0 = c.starts[i];
            Ops.crossEntropyBackward(c.logits, r0, c.starts[i + 1] - r0, vocab, c.targets, r0, scale, c.dLogits);
        }
        t = c.lap(OpTimes.CROSS_ENTROPY, t);
        GradientSink.GradientView v = sink.open(embeddings);
        t = System.nanoTime();
        Ops.linearBackward(kernels, c.dLogits, c.lnfOut, length, d, vocab, params, layout.tokenEmbedding(),
                v.array(), layout.tokenEmbedding() - v.base(), -1, c.dLn);
        t = c.lap(OpTimes.PRODUCTS, t);
        sink.close(embeddings, v);

        // Final LayerNorm; it writes (does not add) the residual stream's gradient.
        ParameterLayout.Segment finalNorm = layout.finalNormSegment();
        v = sink.open(finalNorm);
        t = System.nanoTime();
        Ops.layerNormBackward(c.dLn, c.x[config.layers()], c.lnfMean, c.lnfRstd, length, d, params,
                layout.lnfGain(), false, c.dX, v.array(), layout.lnfGain() - v.base(), layout.lnfBias() - v.base());
        c.lap(OpTimes.LAYER_NORM, t);
        sink.close(finalNorm, v);

        // Blocks, last first. c.dX holds the gradient of the block's output.
        for (int l = config.layers() - 1; l >= 0; l--) {
            ParameterLayout.Block b = layout.block(l);
            ParameterLayout.Segment segment = layout.blockSegment(l);
            v = sink.open(segment);
            float[] g = v.array();
            int base = v.base();
            t = System.nanoTime();

            // MLP: out = xMid + fc2(gelu(fc1(LN2(xMid)))).
            Ops.linearBackward(kernels, c.dX, c.gelu[l], length, ff, d, params, b.wFc2(),
                    g, b.wFc2() - base, b.bFc2() - base, c.dHidden);
            t = c.lap(OpTimes.PRODUCTS, t);
            Ops.geluBackward(c.fc1[l], c.dHidden, c.dHidden, length * ff);
            t = c.lap(OpTimes.GELU, t);
            Ops.linearBackward(kernels, c.dHidden, c.ln2Out[l], length, d, ff, params, b.wFc1(),
                    g, b.wFc1() - base, b.bFc1() - base, c.dLn);
            t = c.lap(OpTimes.PRODUCTS, t);
            Ops.layerNormBackward(c.dLn, c.xMid[l], c.ln2Mean[l], c.ln2Rstd[l], length, d, params,
                    b.ln2Gain(), true, c.dX, g, b.ln2Gain() - base, b.ln2Bias() - base);
            t = c.lap(OpTimes.LAYER_NORM, t);

            // Attention: xMid = x + proj(attention(LN1(x))).
            Ops.linearBackward(kernels, c.dX, c.attY[l], length, d, d, params, b.wProj(),
                    g, b.wProj() - base, b.bProj() - base, c.dAttY);
            t = c.lap(OpTimes.PRODUCTS, t);
            for (int i = 0; i < c.items; i++) {
                int r0 = c.starts[i];
                t = Ops.attentionBackward(kernels, c.qkv[l], r0, c.att[l], attentionAt(r0),
                        c.dAttY, c.starts[i + 1] - r0, d, config.heads(), c.dAtt, c.dQkv, Ops.ATTENTION_ROW_BLOCK,
                        c.opNanos, t);
            }
            Ops.linearBackward(kernels, c.dQkv, c.ln1Out[l], length, d, 3 * d, params, b.wQkv(),
                    g, b.wQkv() - base, b.bQkv() - base, c.dLn);
            t = c.lap(OpTimes.PRODUCTS, t);
            Ops.layerNormBackward(c.dLn, c.x[l], c.ln1Mean[l], c.ln1Rstd[l], length, d, params,
                    b.ln1Gain(), true, c.dX, g, b.ln1Gain() - base, b.ln1Bias() - base);
            c.lap(OpTimes.LAYER_NORM, t);
            sink.close(segment, v);
        }

        // Token and position lookups.
        v = sink.open(embeddings);
        t = System.nanoTime();
        for (int i = 0; i < c.items; i++) {
            int r0 = c.starts[i];
            Ops.embeddingBackward(c.dX, r0, d, c.tokens, r0, c.starts[i + 1] - r0, v.array(),
                    layout.tokenEmbedding() - v.base(), layout.positionEmbedding() - v.base());
        }
        c.lap(OpTimes.RESIDUAL, t);
        sink.close(embeddings, v);
    }

    private void checkParams(float[] params) {
        if (params.length != layout.size()) {
            throw new IllegalArgumentException("params: length " + params.length + "; expected " + layout.size());
        }
    }
}
