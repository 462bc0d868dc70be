package org.cllmlab.core.data;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

import org.cllmlab.core.memory.ArrayFootprint;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.memory.MemoryLedger;

/**
 * A tokenized corpus split into training and validation tokens, serving batches of windows.
 *
 * <p><b>Split.</b> The corpus is tokenized once; the last {@code validationFraction} of the tokens
 * (rounded, default 10%) is the validation split, the rest the training split. Both are stored as
 * {@code int[]} ledgered as {@link Category#DATASET}; the corpus text itself is not kept.
 *
 * <p><b>Windows.</b> A window is {@code seq + 1} consecutive tokens: inputs are its first {@code seq}
 * tokens, targets its last {@code seq}. Training windows start at {@code trainWindows()} possible offsets.
 *
 * <p><b>Batches.</b> Training batch {@code step} is a function of {@code (seed, step)} only: its windows
 * start at pseudo-random offsets, distinct within the batch whenever the split has enough offsets, and the
 * first {@code k} items of a larger batch equal those of a batch of size {@code k}. Validation batches are
 * fixed: the validation split is cut into consecutive windows, and batch {@code index} takes every
 * {@code validationBatches()}-th window from {@code index}, so each batch samples the whole split evenly.
 *
 * <p><b>Too little data</b> is a {@link DataException} at build time, never a hang: one global batch
 * needs {@code batch} distinct windows, so the training split needs at least {@code seq + batch} tokens,
 * and the validation split needs one window, {@code seq + 1} tokens.
 *
 * <p>Thread-safe for reading once built; filling one {@link Batch} from several threads at once is not.
 */
public final class Dataset {

    /** The share of tokens held out for validation unless set otherwise. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

    private final String corpusName;
    private final String corpusSource;
    private final long corpusBytes;
    private final Tokenizer tokenizer;
    private final int seq;
    private final int batch;
    private final double validationFraction;
    private final long seed;
    private final MemoryLedger ledger;
    private final TokenIds train;
    private final TokenIds validation;
    private boolean released;

    private Dataset(Builder b, Tokenizer tokenizer, TokenIds train, TokenIds validation) {
        this.corpusName = b.corpus.name();
        this.corpusSource = b.corpus.source();
        this.corpusBytes = b.corpus.bytes();
        this.tokenizer = tokenizer;
        this.seq = b.seq;
        this.batch = b.batch;
        this.validationFraction = b.validationFraction;
        this.seed = b.seed;
        this.ledger = b.ledger;
        this.train = train;
        this.validation = validation;
    }

    /** Starts building a dataset from {@code corpus}. */
    public static Builder builder(Corpus corpus) {
        return new Builder(corpus);
    }

    /** A dataset with the default 10% validation split. */
    public static Dataset of(Corpus corpus, TokenizerKind kind, int seq, int batch, long seed, MemoryLedger ledger) {
        return builder(corpus).tokenizer(kind).seq(seq).batch(batch).seed(seed).ledger(ledger).build();
    }

    /** Settings for a {@link Dataset}; {@code seq} and {@code batch} are required. */
    public static final class Builder {
        private final Corpus corpus;
        private TokenizerKind kind = TokenizerKind.WORD;
        private Tokenizer prebuilt;
        private int maxVocab = Integer.MAX_VALUE;
        private int seq = -1;
        private int batch = -1;
        private double validationFraction = DEFAULT_VALIDATION_FRACTION;
        private long seed;
        private MemoryLedger ledger;

        private Builder(Corpus corpus) {
            this.corpus = Objects.requireNonNull(corpus, "corpus");
        }

        /** The kind of tokenizer to build from the corpus (default {@code word}). */
        public Builder tokenizer(TokenizerKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.prebuilt = null;
            return this;
        }

        /** Uses this tokenizer as is, instead of building one from the corpus. */
        public Builder tokenizer(Tokenizer tokenizer) {
            this.prebuilt = Objects.requireNonNull(tokenizer, "tokenizer");
            return this;
        }

        /** For the word tokenizer: keep at most this many tokens, {@code <unk>} included (default: all). */
        public Builder maxVocab(int maxVocab) {
            this.maxVocab = maxVocab;
            return this;
        }

        /** Tokens per work item. */
        public Builder seq(int seq) {
            this.seq = seq;
            return this;
        }

        /** Work items per global batch. */
        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        /** Share of the tokens, taken from the end, held out for validation; in (0, 1), default 0.1. */
        public Builder validationFraction(double fraction) {
            this.validationFraction = fraction;
            return this;
        }

        /** Seed of the training batch windows (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Where the token arrays are accounted (default: a ledger of the dataset's own). */
        public Builder ledger(MemoryLedger ledger) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            return this;
        }

        /**
         * Tokenizes and splits the corpus.
         *
         * @throws DataException if a setting is out of range or the corpus is too small or has fewer than
         *                       two distinct tokens
         */
        public Dataset build() {
            positive("seq", seq);
            positive("batch", batch);
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new DataException("validation fraction: " + validationFraction
                        + "; expected a number between 0 and 1, exclusive (such as 0.1)");
            }
            if (ledger == null) {
                ledger = new MemoryLedger();
            }
            Tokenizer tok;
            int[] ids;
            if (prebuilt != null) {
                tok = prebuilt;
                ids = prebuilt.encode(corpus.text());
            } else {
                TokenizedText t = kind == TokenizerKind.WORD
                        ? WordTokenizer.fitAndEncode(corpus.text(), maxVocab)
                        : kind.fitAndEncode(corpus.text());
                tok = t.tokenizer();
                ids = t.ids();
            }
            int valCount = validationCount(ids.length, validationFraction);
            int trainCount = ids.length - valCount;
            checkSize(tok, ids.length, trainCount, valCount);
            checkDistinct(tok, ids);

            TokenIds train = TokenIds.copyOf(ids, 0, trainCount, tok.vocabSize(), ledger);
            TokenIds validation = TokenIds.copyOf(ids, trainCount, ids.length, tok.vocabSize(), ledger);
            return new Dataset(this, tok, train, validation);
        }

        private void checkSize(Tokenizer tok, int total, int trainCount, int valCount) {
            long needTrain = (long) seq + batch;
            long needVal = (long) seq + 1;
            if (trainCount >= needTrain && valCount >= needVal) {
                return;
            }
            double bytesPerToken = total > 0 ? (double) corpus.bytes() / total
                    : tok instanceof ByteTokenizer ? 1.0 : 5.0;
            long needBytes = (long) Math.ceil(tokensNeeded(needTrain, needVal, validationFraction) * bytesPerToken);
            String tokenizerName = tok.name() + "-level";
            if (trainCount < needTrain) {
                throw new DataException(String.format(Locale.ROOT,
                        "corpus '%s': %,d %s training tokens after a %s%% validation split; one global batch of %,d × %,d"
                                + " needs at least %,d tokens (a corpus of roughly %,d bytes)",
                        corpus.name(), trainCount, tokenizerName, percent(validationFraction), batch, seq, needTrain,
                        needBytes));
            }
            throw new DataException(String.format(Locale.ROOT,
                    "corpus '%s': %,d %s validation tokens (the last %s%% of %,d); one validation window of %,d + 1"
                            + " needs at least %,d tokens (a corpus of roughly %,d bytes, or a larger validation fraction)",
                    corpus.name(), valCount, tokenizerName, percent(validationFraction), total, seq, needVal, needBytes));
        }

        private void checkDistinct(Tokenizer tok, int[] ids) {
            int first = ids[0];
            for (int id : ids) {
                if (id != first) {
                    return;
                }
            }
            String what = tok instanceof WordTokenizer w ? "'" + w.token(first) + "'" : "id " + first;
            throw new DataException(String.format(Locale.ROOT,
                    "corpus '%s': all %,d %s tokens are the same (%s); expected at least 2 distinct tokens",
                    corpus.name(), ids.length, tok.name() + "-level", what));
        }

        private static void positive(String field, int value) {
            if (value <= 0) {
                throw new DataException(field + ": " + (value == -1 ? "not set" : String.valueOf(value))
                        + "; expected a positive integer");
            }
        }
    }

    static int validationCount(int total, double fraction) {
        return (int) Math.round(total * fraction);
    }

    /** The smallest token count whose split meets both needs. */
    static long tokensNeeded(long needTrain, long needVal, double fraction) {
        long t = Math.max(needTrain + needVal,
                Math.max((long) Math.floor(needTrain / (1 - fraction)), (long) Math.floor(needVal / fraction))) - 2;
        for (int i = 0; i < 10_000 && t < Integer.MAX_VALUE; i++, t++) {
            long val = Math.round(t * fraction);
            if (t - val >= needTrain && val >= needVal) {
                return t;
            }
        }
        return t;
    }

    static String percent(double fraction) {
        return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString();
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The model's vocabulary size: {@code tokenizer().vocabSize()}. */
    public int vocabSize() {
        return tokenizer.vocabSize();
    }

    /** Tokens per work item. */
    public int seq() {
        return seq;
    }

    /** Work items per global batch. */
    public int batch() {
        return batch;
    }

    public long seed() {
        return seed;
    }

    public double validationFraction() {
        return validationFraction;
    }

    public String corpusName() {
        return corpusName;
    }

    public String corpusSource() {
        return corpusSource;
    }

    public long corpusBytes() {
        return corpusBytes;
    }

    /** Tokens in the training split. */
    public int trainTokens() {
        return train.length();
    }

    /** Tokens in the validation split. */
    public int validationTokens() {
        return validation.length();
    }

    /** Distinct offsets a training window can start at. */
    public int trainWindows() {
        return train.length() - seq;
    }

    /** Consecutive validation windows that fit in the validation split (at least 1). */
    public int validationWindows() {
        return (validation.length() - 1) / seq;
    }

    /** Validation batches of {@code batch()} items that together cover every validation window. */
    public int validationBatches() {
        return (validationWindows() + batch - 1) / batch;
    }

    /** Ledgered bytes of the token arrays. */
    public long footprintBytes() {
        return train.footprint() + validation.footprint();
    }

    /** An empty batch of {@code size} items of {@code seq()} tokens, ledgered in this dataset's ledger. */
    public Batch newBatch(int size) {
        return Batch.allocate(size, seq, ledger);
    }

    /** Training batch {@code step} with {@code batch()} items, in a new buffer. */
    public Batch trainBatch(long step) {
        return trainBatch(step, batch);
    }

    /** Training batch {@code step} with {@code size} items (for example workers × batch), in a new buffer. */
    public Batch trainBatch(long step, int size) {
        Batch b = newBatch(size);
        fillTrainBatch(step, b);
        return b;
    }

    /**
     * Refills {@code into} with training batch {@code step}, as many items as it holds. Windows are
     * distinct within the batch when {@code into.size() <= trainWindows()}; otherwise some repeat.
     */
    public void fillTrainBatch(long step, Batch into) {
        checkSeq(into);
        int windows = trainWindows();
        boolean distinct = into.size() <= windows;
        int[] starts = into.starts();
        SplitMix rng = new SplitMix(SplitMix.mix(seed, step));
        // Small batches check earlier starts directly; large ones use an open-addressing set (slot = start + 1).
        int[] set = distinct && into.size() > 64 ? new int[Integer.highestOneBit(into.size()) << 2] : null;
        for (int i = 0; i < into.size(); i++) {
            int start = rng.nextInt(windows);
            if (distinct) {
                while (set == null ? contains(starts, i, start) : !addTo(set, start)) {
                    start = rng.nextInt(windows);
                }
            }
            starts[i] = start;
            copyWindow(train, start, into, i);
        }
    }

    private static boolean addTo(int[] set, int value) {
        int mask = set.length - 1;
        int slot = (int) SplitMix.mix64(value) & mask;
        while (set[slot] != 0) {
            if (set[slot] == value + 1) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        set[slot] = value + 1;
        return true;
    }

    /** Validation batch {@code index} (0 ≤ index &lt; {@link #validationBatches()}), in a new buffer. */
    public Batch validationBatch(int index) {
        Batch b = newBatch(batch);
        fillValidationBatch(index, b);
        return b;
    }

    /**
     * Refills {@code into} with validation batch {@code index}: item {@code j} is validation window
     * {@code (index + j * validationBatches()) mod validationWindows()}, which does not depend on the step,
     * so validation losses are comparable across steps.
     */
    public void fillValidationBatch(int index, Batch into) {
        checkSeq(into);
        int nb = validationBatches();
        if (index < 0 || index >= nb) {
            throw new IndexOutOfBoundsException("validation batch " + index + "; expected 0.." + (nb - 1));
        }
        int windows = validationWindows();
        int[] starts = into.starts();
        for (int j = 0; j < into.size(); j++) {
            int start = (int) ((index + (long) j * nb) % windows) * seq;
            starts[j] = start;
            copyWindow(validation, start, into, j);
        }
    }

    private void checkSeq(Batch b) {
        if (b.seq() != seq) {
            throw new IllegalArgumentException("batch seq " + b.seq() + "; expected the dataset's seq " + seq);
        }
    }

    private void copyWindow(TokenIds split, int start, Batch into, int item) {
        split.copy(start, into.tokens(), item * seq, seq);
        split.copy(start + 1, into.targets(), item * seq, seq);
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    /** A copy of the training split's ids (for tests). */
    int[] trainSplit() {
        return train.toArray();
    }

    /** A copy of the validation split's ids (for tests). */
    int[] validationSplit() {
        return validation.toArray();
    }

    /** Removes the token arrays from the ledger; call once when the dataset is dropped. Idempotent. */
    public void release() {
        if (!released) {
            released = true;
            ledger.release(Category.DATASET, footprintBytes());
        }
    }

    /** One line: corpus, tokenizer, vocabulary, split and batch shape. */
    public String describe() {
        return String.format(Locale.ROOT,
                "corpus '%s' (%,d bytes, %s); %s tokenizer, vocab %,d; %,d tokens: %,d train, %,d validation (%s%%);"
                        + " batch %,d × seq %,d; seed %d",
                corpusName, corpusBytes, corpusSource, tokenizer.name(), vocabSize(), train.length() + validation.length(),
                train.length(), validation.length(), percent(validationFraction), batch, seq, seed);
    }

    @Override
    public String toString() {
        return describe();
    }
}
