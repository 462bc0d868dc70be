package org.cllmlab.core.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The tokenizers a spec can name: {@code word} (vocabulary built from the corpus) and {@code byte}. */
public enum TokenizerKind {
    /** {@link WordTokenizer}: words and punctuation, lower-cased, vocabulary from the corpus. */
    WORD,
    /** {@link ByteTokenizer}: the UTF-8 bytes, vocabulary 256. */
    BYTE;

    /** The lower-case name used in specs, on the command line and in reports. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

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
        for (TokenizerKind k : values()) {
            if (k.id().equals(name)) {
                return k;
            }
        }
        throw new DataException("tokenizer: '" + name + "' is unknown; expected one of "
                + Arrays.stream(values()).map(TokenizerKind::id).collect(Collectors.joining(", ")));
    }
}
