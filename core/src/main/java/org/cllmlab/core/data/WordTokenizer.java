package org.cllmlab.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Word-level tokenizer, as in the original trainer: the vocabulary is built from the corpus, and any word
 * outside it maps to {@link #UNKNOWN} (id 0).
 *
 * <p>Splitting: a word is a run of letters and digits, with apostrophes inside it kept ({@code don't});
 * every other non-space character ({@code . , ; ! ? - "} and so on) is a token of its own; whitespace only
 * separates. Words are lower-cased ({@link Locale#ROOT}), so case is not preserved by
 * {@link #decode(int[])}, which joins tokens with single spaces and attaches closing punctuation.
 *
 * <p>Ids: 0 is {@code <unk>}; the rest are ordered by descending frequency in the corpus, ties broken
 * lexicographically, so the same corpus always gives the same ids. An optional maximum vocabulary keeps
 * only the most frequent tokens.
 */
public final class WordTokenizer implements Tokenizer {

    /** The unknown token, always id 0. */
    public static final String UNKNOWN = "<unk>";

    private final String[] vocab;
    private final TokenTable ids;

    private WordTokenizer(String[] vocab) {
        this.vocab = vocab;
        this.ids = new TokenTable(vocab.length);
        for (int i = 0; i < vocab.length; i++) {
            if (ids.find(vocab[i]) >= 0) {
                throw new IllegalArgumentException("vocabulary: '" + vocab[i] + "' appears twice; expected distinct tokens");
            }
            ids.put(vocab[i], i);
        }
    }

    /** Builds the vocabulary from all tokens of {@code text}. */
    public static WordTokenizer fit(String text) {
        return fit(text, Integer.MAX_VALUE);
    }

    /** Builds the vocabulary from {@code text}, keeping {@code <unk>} and the {@code maxVocab - 1} most frequent tokens. */
    public static WordTokenizer fit(String text, int maxVocab) {
        return (WordTokenizer) fitAndEncode(text, maxVocab).tokenizer();
    }

    /**
     * A tokenizer with exactly these tokens, in this order, after {@code <unk>} at id 0 (for example a
     * vocabulary saved from an earlier run). Tokens must be lower case, as encoding lower-cases words.
     */
    public static WordTokenizer of(List<String> tokens) {
        String[] v = new String[tokens.size() + 1];
        v[0] = UNKNOWN;
        for (int i = 0; i < tokens.size(); i++) {
            v[i + 1] = tokens.get(i);
        }
        return new WordTokenizer(v);
    }

    /** Builds the vocabulary and encodes {@code text} with it, in one pass over the text. */
    public static TokenizedText fitAndEncode(String text, int maxVocab) {
        if (maxVocab < 2) {
            throw new DataException("max vocab: " + maxVocab + "; expected at least 2 (<unk> and one token)");
        }
        TokenTable provisional = new TokenTable(1024);
        List<String> seen = new ArrayList<>();
        IntBuffer counts = new IntBuffer(1024);
        // Generated English runs at about 4.9 characters per token; a quarter avoids regrowing the buffer.
        IntBuffer sequence = new IntBuffer(Math.max(16, text.length() / 4));
        split(text, (src, start, end, word) -> {
            int p = lookup(provisional, src, start, end, word);
            if (p < 0) {
                p = seen.size();
                String token = token(src, start, end, word);
                provisional.put(token, p);
                seen.add(token);
                counts.add(0);
            }
            counts.data[p]++;
            sequence.add(p);
        });

        Integer[] order = new Integer[seen.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingInt(p -> -counts.data[p]).thenComparing(seen::get));
        int kept = (int) Math.min(order.length, (long) maxVocab - 1);
        String[] vocab = new String[kept + 1];
        vocab[0] = UNKNOWN;
        int[] remap = new int[order.length]; // dropped tokens stay 0 = <unk>
        for (int rank = 0; rank < kept; rank++) {
            vocab[rank + 1] = seen.get(order[rank]);
            remap[order[rank]] = rank + 1;
        }
        int[] out = sequence.data; // remapped in place, then trimmed: one copy of the ids, not two
        for (int i = 0; i < sequence.size; i++) {
            out[i] = remap[out[i]];
        }
        return new TokenizedText(new WordTokenizer(vocab), Arrays.copyOf(out, sequence.size));
    }

    /** Receives each token of a text as a range of it; {@code word} tokens are to be lower-cased. */
    @FunctionalInterface
    interface RangeSink {
        void accept(String text, int start, int end, boolean word);
    }

    /** The token's text: a word lower-cased, any other token as it is. */
    static String token(String text, int start, int end, boolean word) {
        String t = text.substring(start, end);
        return word ? t.toLowerCase(Locale.ROOT) : t;
    }

    /** Looks a token range up without allocating, unless it is a word with non-ASCII characters. */
    private static int lookup(TokenTable table, String text, int start, int end, boolean word) {
        if (!word) {
            return table.find(text, start, end, false);
        }
        if (TokenTable.ascii(text, start, end)) {
            return table.find(text, start, end, true);
        }
        return table.find(token(text, start, end, true));
    }

    /** Calls {@code sink} with each token of {@code text}, words lower-cased; see the class comment. */
    static void split(String text, Consumer<String> sink) {
        split(text, (src, start, end, word) -> sink.accept(token(src, start, end, word)));
    }

    /** Calls {@code sink} with the range of each token of {@code text}; see the class comment. */
    static void split(String text, RangeSink sink) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                i += width;
            } else if (Character.isLetterOrDigit(cp)) {
                int start = i;
                i += width;
                while (i < n) {
                    int c = text.codePointAt(i);
                    if (Character.isLetterOrDigit(c)) {
                        i += Character.charCount(c);
                    } else if ((c == '\'' || c == '\u2019') && i + 1 < n && Character.isLetterOrDigit(text.codePointAt(i + 1))) {
                        i += 1;
                    } else {
                        break;
                    }
                }
                sink.accept(text, start, i, true);
            } else {
                sink.accept(text, i, i + width, false);
                i += width;
            }
        }
    }

    @Override
    public String name() {
        return TokenizerKind.WORD.id();
    }

    @Override
    public int vocabSize() {
        return vocab.length;
    }

    /** The token with this id. */
    public String token(int id) {
        return vocab[id];
    }

    /** The id of this (lower-case) token, or 0 ({@code <unk>}) if it is not in the vocabulary. */
    public int id(String token) {
        int id = ids.find(token);
        return id < 0 ? 0 : id;
    }

    /** The vocabulary in id order, starting with {@code <unk>}. */
    public List<String> vocabulary() {
        return Collections.unmodifiableList(Arrays.asList(vocab));
    }

    @Override
    public int[] encode(String text) {
        IntBuffer out = new IntBuffer(Math.max(16, text.length() / 5));
        split(text, (src, start, end, word) -> {
            int id = lookup(ids, src, start, end, word);
            out.add(id < 0 ? 0 : id);
        });
        return Arrays.copyOf(out.data, out.size);
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length * 6);
        boolean glue = true; // no space at the start or after an opening bracket
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= vocab.length) {
                throw new IllegalArgumentException("token id " + id + " at position " + i + "; expected 0.." + (vocab.length - 1));
            }
            String t = vocab[id];
            boolean closing = t.length() == 1 && ".,;:!?)]}%".indexOf(t.charAt(0)) >= 0;
            if (!glue && !closing) {
                sb.append(' ');
            }
            sb.append(t);
            glue = t.length() == 1 && "([{".indexOf(t.charAt(0)) >= 0;
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "word tokenizer (vocab " + vocab.length + ")";
    }

    /** A growable int array without boxing. */
    private static final class IntBuffer {
        int[] data;
        int size;

        IntBuffer(int capacity) {
            data = new int[capacity];
        }

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length + (data.length >> 1) + 16);
            }
            data[size++] = v;
        }
    }
}
