package org.cllmlab.core.model;

import org.cllmlab.core.run.Identified;

/**
 * The fixed model shapes. Names are part of every result file, so they never change meaning.
 * The vocabulary comes from the data; {@link #config(int)} fills it in.
 */
public enum Preset implements Identified {
    /** Unit tests. */
    TINY(64, 2, 4, 256, 32, 8),
    /** The default quick suite. */
    SMALL(128, 4, 4, 512, 64, 16),
    /** The original CLLM trainer's shape (its vocabulary was 788 words). */
    SEED(256, 6, 8, 1024, 128, 32);

    private final int dModel;
    private final int layers;
    private final int heads;
    private final int dFf;
    private final int seq;
    private final int batch;

    Preset(int dModel, int layers, int heads, int dFf, int seq, int batch) {
        this.dModel = dModel;
        this.layers = layers;
        this.heads = heads;
        this.dFf = dFf;
        this.seq = seq;
        this.batch = batch;
    }

    public ModelConfig config(int vocab) {
        return new ModelConfig(dModel, layers, heads, dFf, seq, batch, vocab);
    }

    public int seq() {
        return seq;
    }

    public int batch() {
        return batch;
    }

    /** Parses a preset name, failing with the list of known names. */
    public static Preset parse(String name) {
        return Identified.parse(Preset.class, "preset", name);
    }
}
