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
    private final Map<String, Integer> ids;

    private WordTokenizer(String[] vocab) {
        this.vocab = vocab;
        this.ids = new HashMap<>(vocab.length * 2);
        for (int i = 0; i < vocab.length; i++) {
            if (ids.put(vocab[i], i) != null) {
                throw new IllegalArgumentException("vocabulary: '" + vocab[i] + "' appears twice; expected distinct tokens");
            }
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
        Map<String, Integer> provisional = new HashMap<>();
        List<String> seen = new ArrayList<>();
        IntBuffer counts = new IntBuffer(1024);
        IntBuffer sequence = new IntBuffer(Math.max(16, text.length() / 5));
        split(text, token -> {
            Integer p = provisional.get(token);
            if (p == null) {
                p = seen.size();
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
        int[] out = new int[sequence.size];
        for (int i = 0; i < out.length; i++) {
            out[i] = remap[sequence.data[i]];
        }
        return new TokenizedText(new WordTokenizer(vocab), out);
    }

    /** Calls {@code sink} with each token of {@code text}, words lower-cased; see the class comment. */
    static void split(String text, Consumer<String> sink) {
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
                sink.accept(text.substring(start, i).toLowerCase(Locale.ROOT));
            } else {
                sink.accept(text.substring(i, i + width));
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
        Integer id = ids.get(token);
        return id == null ? 0 : id;
    }

    /** The vocabulary in id order, starting with {@code <unk>}. */
    public List<String> vocabulary() {
        return Collections.unmodifiableList(Arrays.asList(vocab));
    }

    @Override
    public int[] encode(String text) {
        IntBuffer out = new IntBuffer(Math.max(16, text.length() / 5));
        split(text, token -> out.add(id(token)));
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
