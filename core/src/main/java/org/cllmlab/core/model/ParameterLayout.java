package org.cllmlab.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where every named tensor lives in the flat parameter buffer.
 *
 * <p>Weights of linear maps are stored PyTorch-style as {@code [out, in]}, so the forward pass is
 * {@code y = x · Wᵀ + b} and the tied output head is the same operation with {@code W = tokenEmbedding}.
 *
 * <p>The buffer is cut into contiguous <em>segments</em>: {@code embeddings} (token then position
 * embeddings), one per block ({@code block0}, ...), and {@code final-norm}. Gradients of a segment are
 * written together; strategies that lock per layer lock per segment.
 */
public final class ParameterLayout {

    /** A named tensor: {@code shape} is row-major; {@code segment} indexes {@link #segments()}. */
    public record Tensor(String name, int offset, int rows, int cols, int segment) {
        public int size() {
            return rows * cols;
        }
    }

    /** A contiguous range of parameters whose gradients are written together. */
    public record Segment(int index, String name, int offset, int length) {
        public boolean contains(int parameterIndex) {
            return parameterIndex >= offset && parameterIndex < offset + length;
        }
    }

    /** Offsets of one block's tensors. */
    public record Block(int ln1Gain, int ln1Bias, int wQkv, int bQkv, int wProj, int bProj,
                        int ln2Gain, int ln2Bias, int wFc1, int bFc1, int wFc2, int bFc2) {
    }

    private final ModelConfig config;
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Segment> segments = new ArrayList<>();
    private final int tokenEmbedding;
    private final int positionEmbedding;
    private final Block[] blocks;
    private final int lnfGain;
    private final int lnfBias;
    private final int size;
    private int cursor;

    public ParameterLayout(ModelConfig config) {
        this.config = config;
        int d = config.dModel();
        int ff = config.dFf();

        int start = cursor;
        tokenEmbedding = add("tok_emb", config.vocab(), d, 0);   // [vocab, d]
        positionEmbedding = add("pos_emb", config.seq(), d, 0);  // [seq, d]
        segments.add(new Segment(0, "embeddings", start, cursor - start));

        blocks = new Block[config.layers()];
        for (int l = 0; l < config.layers(); l++) {
            int s = segments.size();
            start = cursor;
            String p = "block" + l + ".";
            blocks[l] = new Block(
                    add(p + "ln1.gain", 1, d, s),
                    add(p + "ln1.bias", 1, d, s),
                    add(p + "attn.w_qkv", 3 * d, d, s),   // [3d, d]: rows 0..d-1 make q, then k, then v
                    add(p + "attn.b_qkv", 1, 3 * d, s),
                    add(p + "attn.w_proj", d, d, s),      // [d, d]
                    add(p + "attn.b_proj", 1, d, s),
                    add(p + "ln2.gain", 1, d, s),
                    add(p + "ln2.bias", 1, d, s),
                    add(p + "mlp.w_fc1", ff, d, s),       // [ff, d]
                    add(p + "mlp.b_fc1", 1, ff, s),
                    add(p + "mlp.w_fc2", d, ff, s),       // [d, ff]
                    add(p + "mlp.b_fc2", 1, d, s));
            segments.add(new Segment(s, "block" + l, start, cursor - start));
        }

        int s = segments.size();
        start = cursor;
        lnfGain = add("lnf.gain", 1, d, s);
        lnfBias = add("lnf.bias", 1, d, s);
        segments.add(new Segment(s, "final-norm", start, cursor - start));
        size = cursor;
    }

    private int add(String name, int rows, int cols, int segment) {
        int offset = cursor;
        tensors.add(new Tensor(name, offset, rows, cols, segment));
        cursor = Math.addExact(cursor, Math.multiplyExact(rows, cols));
        return offset;
    }

    public ModelConfig config() {
        return config;
    }

    /** Total number of parameters. */
    public int size() {
        return size;
    }

    public List<Tensor> tensors() {
        return Collections.unmodifiableList(tensors);
    }

    public List<Segment> segments() {
        return Collections.unmodifiableList(segments);
    }

    public Segment embeddingSegment() {
        return segments.get(0);
    }

    public Segment blockSegment(int layer) {
        return segments.get(1 + layer);
    }

    public Segment finalNormSegment() {
        return segments.get(segments.size() - 1);
    }

    /** Length of the longest segment: the size of a per-segment scratch buffer. */
    public int maxSegmentLength() {
        int max = 0;
        for (Segment s : segments) {
            max = Math.max(max, s.length());
        }
        return max;
    }

    public int tokenEmbedding() {
        return tokenEmbedding;
    }

    public int positionEmbedding() {
        return positionEmbedding;
    }

    public Block block(int layer) {
        return blocks[layer];
    }

    public int lnfGain() {
        return lnfGain;
    }

    public int lnfBias() {
        return lnfBias;
    }

    public Tensor tensor(String name) {
        for (Tensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("tensor: '" + name + "' is unknown");
    }
}
