package org.cllmlab.core.data;

/**
 * Maps text to token ids in {@code [0, vocabSize())} and back. Implementations are immutable and
 * thread-safe once built.
 */
public interface Tokenizer {

    /** The kind's name as used in specs and reports, e.g. {@code word} or {@code byte}. */
    String name();

    /** Number of distinct ids; the model's vocabulary size. */
    int vocabSize();

    int[] encode(String text);

    /** Turns ids back into text; may lose what encoding dropped (for example case or spacing). */
    String decode(int[] ids);
}
