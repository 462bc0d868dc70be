package org.cllmlab.core.data;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level tokenizer: each UTF-8 byte of the text is one token (id 0..255). Lossless for any
 * well-formed text; decoding ids that split a multi-byte character yields U+FFFD there.
 */
public final class ByteTokenizer implements Tokenizer {

    public static final ByteTokenizer INSTANCE = new ByteTokenizer();

    private ByteTokenizer() {
    }

    @Override
    public String name() {
        return TokenizerKind.BYTE.id();
    }

    @Override
    public int vocabSize() {
        return 256;
    }

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        byte[] bytes = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id > 255) {
                throw new IllegalArgumentException("token id " + id + " at position " + i + "; expected 0..255");
            }
            bytes[i] = (byte) id;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "byte tokenizer (vocab 256)";
    }
}
