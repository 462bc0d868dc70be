package org.cllmlab.core.data;

import org.cllmlab.core.run.Identified;

/** The tokenizers a spec can name: {@code word} (vocabulary built from the corpus) and {@code byte}. */
public enum TokenizerKind implements Identified {
    /** {@link WordTokenizer}: words and punctuation, lower-cased, vocabulary from the corpus. */
    WORD,
    /** {@link ByteTokenizer}: the UTF-8 bytes, vocabulary 256. */
    BYTE;

    /** Builds this kind of tokenizer for {@code text} (the word vocabulary comes from the text). */
    public Tokenizer build(String text) {
        return fitAndEncode(text).tokenizer();
    }

    /** Builds the tokenizer and encodes {@code text} with it, in a single pass over the text. */
    public TokenizedText fitAndEncode(String text) {
        return switch (this) {
            case WORD -> WordTokenizer.fitAndEncode(text, Integer.MAX_VALUE);
            case BYTE -> new TokenizedText(ByteTokenizer.INSTANCE, ByteTokenizer.INSTANCE.encode(text));
        };
    }

    /** Parses a tokenizer name, failing with the list of known names. */
    public static TokenizerKind parse(String name) {
        try {
            return Identified.parse(TokenizerKind.class, "tokenizer", name);
        } catch (IllegalArgumentException e) {
            throw new DataException(e.getMessage());
        }
    }
}
