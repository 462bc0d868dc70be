package org.cllmlab.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.cllmlab.core.memory.ArrayFootprint;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.memory.MemoryLedger;
import org.junit.jupiter.api.Test;

class DatasetTest {

    private static final Corpus SMALL = EmbeddedCorpus.generate(EmbeddedCorpus.SMALL_BYTES, 42);

    private final MemoryLedger ledger = new MemoryLedger();

    private Dataset small(long seed) {
        return Dataset.of(SMALL, TokenizerKind.WORD, 32, 8, seed, ledger);
    }

    @Test
    void build_smallEmbedded_splitsLastTenPercentForValidation() {
        Dataset d = small(1);
        int[] all = WordTokenizer.fitAndEncode(SMALL.text(), Integer.MAX_VALUE).ids();

        assertThat(d.trainTokens() + d.validationTokens()).isEqualTo(all.length);
        assertThat(d.validationTokens()).isEqualTo(Math.round(all.length * 0.1));
        assertThat(d.validationSplit()).isEqualTo(Arrays.copyOfRange(all, d.trainTokens(), all.length));
        assertThat(d.vocabSize()).isEqualTo(d.tokenizer().vocabSize());
    }

    @Test
    void build_ledger_holdsExactlyTheTokenArrays() {
        Dataset d = small(1);

        assertThat(ledger.bytes(Category.DATASET))
                .isEqualTo(ArrayFootprint.of(d.trainTokens(), Character.BYTES)
                        + ArrayFootprint.of(d.validationTokens(), Character.BYTES))
                .isEqualTo(d.footprintBytes());
        d.release();
        assertThat(ledger.bytes(Category.DATASET)).isZero();
    }

    @Test
    void build_tooSmallForOneBatch_failsSayingWhatIsNeeded() {
        Corpus tiny = Corpus.of("file.txt", EmbeddedCorpus.generate(500, 1).text(), "test");

        assertThatThrownBy(() -> Dataset.of(tiny, TokenizerKind.WORD, 128, 32, 1, ledger))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("corpus 'file.txt': ")
                .hasMessageContaining("training tokens after a 10% validation split")
                .hasMessageContaining("one global batch of 32 × 128 needs at least 160 tokens")
                .hasMessageContaining("bytes)");
        assertThat(ledger.bytes(Category.DATASET)).isZero();
    }

    @Test
    void build_tooSmallValidationSplit_failsSayingWhatIsNeeded() {
        // 400 word tokens: train 360 >= 128 + 2, validation 40 < 129.
        Corpus c = Corpus.of("c", "a b ".repeat(200), "test");

        assertThatThrownBy(() -> Dataset.of(c, TokenizerKind.WORD, 128, 2, 1, ledger))
                .isInstanceOf(DataException.class)
                .hasMessage("corpus 'c': 40 word-level validation tokens (the last 10% of 400); one validation window"
                        + " of 128 + 1 needs at least 129 tokens (a corpus of roughly 2,576 bytes, or a larger"
                        + " validation fraction)");
    }

    @Test
    void build_exactlyEnoughTokens_succeeds() {
        // seq 4, batch 3: training needs 7 tokens, validation 5; 12 tokens at a 5/12 split.
        Corpus c = Corpus.of("c", "a b c d e f g h i j k l", "test");

        Dataset d = Dataset.builder(c).seq(4).batch(3).validationFraction(5.0 / 12).build();

        assertThat(d.trainTokens()).isEqualTo(7);
        assertThat(d.trainWindows()).isEqualTo(3);
        Batch b = d.trainBatch(0);
        assertThat(new HashSet<>(Arrays.asList(b.start(0), b.start(1), b.start(2)))).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void build_emptyText_failsInsteadOfHanging() {
        Corpus blank = Corpus.of("blank", "   \n  ", "test");

        assertThatThrownBy(() -> Dataset.of(blank, TokenizerKind.WORD, 8, 2, 1, ledger))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("0 word-level training tokens");
    }

    @Test
    void build_singleDistinctToken_fails() {
        Corpus same = Corpus.of("same", "la ".repeat(1000), "test");

        assertThatThrownBy(() -> Dataset.of(same, TokenizerKind.WORD, 8, 2, 1, ledger))
                .isInstanceOf(DataException.class)
                .hasMessage("corpus 'same': all 1,000 word-level tokens are the same ('la'); expected at least 2"
                        + " distinct tokens");
    }

    @Test
    void build_badSettings_failNamingTheField() {
        assertThatThrownBy(() -> Dataset.builder(SMALL).batch(8).build())
                .isInstanceOf(DataException.class).hasMessage("seq: not set; expected a positive integer");
        assertThatThrownBy(() -> Dataset.builder(SMALL).seq(8).batch(0).build())
                .isInstanceOf(DataException.class).hasMessage("batch: 0; expected a positive integer");
        assertThatThrownBy(() -> Dataset.builder(SMALL).seq(8).batch(8).validationFraction(1).build())
                .isInstanceOf(DataException.class).hasMessageStartingWith("validation fraction: 1.0;");
    }

    @Test
    void trainBatch_sameSeedAndStep_isIdentical() {
        Batch a = small(7).trainBatch(3);
        Batch b = small(7).trainBatch(3);

        assertThat(a.tokens()).isEqualTo(b.tokens());
        assertThat(a.targets()).isEqualTo(b.targets());
    }

    @Test
    void trainBatch_differentStepsOrSeeds_differ() {
        Dataset d = small(7);

        assertThat(d.trainBatch(3).tokens()).isNotEqualTo(d.trainBatch(4).tokens());
        assertThat(small(8).trainBatch(3).tokens()).isNotEqualTo(d.trainBatch(3).tokens());
    }

    @Test
    void trainBatch_targets_areInputsShiftedByOne() {
        Dataset d = small(1);
        Batch b = d.trainBatch(5);
        int seq = b.seq();

        assertThat(b.size()).isEqualTo(8);
        for (int i = 0; i < b.size(); i++) {
            int[] window = Arrays.copyOfRange(d.trainSplit(), b.start(i), b.start(i) + seq + 1);
            assertThat(Arrays.copyOfRange(b.tokens(), i * seq, (i + 1) * seq)).isEqualTo(Arrays.copyOf(window, seq));
            assertThat(Arrays.copyOfRange(b.targets(), i * seq, (i + 1) * seq))
                    .isEqualTo(Arrays.copyOfRange(window, 1, seq + 1));
        }
    }

    @Test
    void trainBatch_windows_areDistinctWithinABatch() {
        Batch b = small(1).trainBatch(0, 500);
        Set<Integer> starts = new HashSet<>();
        for (int i = 0; i < b.size(); i++) {
            starts.add(b.start(i));
        }

        assertThat(starts).hasSize(500);
    }

    @Test
    void trainBatch_largerSize_extendsTheDefaultBatch() {
        Dataset d = small(2);
        Batch global = d.trainBatch(9);
        Batch perWorker = d.trainBatch(9, 3 * d.batch());

        assertThat(Arrays.copyOf(perWorker.tokens(), global.tokens().length)).isEqualTo(global.tokens());
    }

    @Test
    void trainBatch_moreItemsThanWindows_repeatsWindowsInsteadOfHanging() {
        Corpus c = Corpus.of("c", "a b c d e f g h i j k l", "test");
        Dataset d = Dataset.builder(c).seq(4).batch(3).validationFraction(5.0 / 12).build();

        Batch b = d.trainBatch(1, 50);

        assertThat(b.size()).isEqualTo(50);
    }

    @Test
    void fillTrainBatch_reusedBuffer_matchesFreshBatchAndAllocatesNothing() {
        Dataset d = small(3);
        Batch reused = d.newBatch(d.batch());
        long before = ledger.bytes(Category.BATCHES);

        d.fillTrainBatch(1, reused);
        d.fillTrainBatch(2, reused);

        assertThat(ledger.bytes(Category.BATCHES)).isEqualTo(before);
        assertThat(reused.tokens()).isEqualTo(d.trainBatch(2).tokens());
    }

    @Test
    void batch_ledger_countsItsArrays() {
        Dataset d = small(3);
        Batch b = d.newBatch(8);

        assertThat(ledger.bytes(Category.BATCHES)).isEqualTo(2 * ArrayFootprint.ints(8 * 32) + ArrayFootprint.ints(8));
        b.release();
        b.release();
        assertThat(ledger.bytes(Category.BATCHES)).isZero();
    }

    @Test
    void batch_item_pointsIntoTheSharedArrays() {
        Batch b = small(1).trainBatch(0);

        WorkItem item = b.item(3);

        assertThat(item).isEqualTo(new WorkItem(3, b.tokens(), b.targets(), 3 * 32, 32));
        assertThatThrownBy(() -> b.item(8)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void validationBatch_sameIndex_isStableAcrossCallsAndSeeds() {
        Dataset d = small(1);
        Batch first = d.validationBatch(0);
        d.trainBatch(10);

        assertThat(d.validationBatch(0).tokens()).isEqualTo(first.tokens());
        assertThat(small(99).validationBatch(0).tokens()).isEqualTo(first.tokens());
    }

    @Test
    void validationBatches_together_coverEveryWindowOnce() {
        Dataset d = small(1);
        Set<Integer> starts = new HashSet<>();
        for (int i = 0; i < d.validationBatches(); i++) {
            Batch b = d.validationBatch(i);
            for (int j = 0; j < b.size(); j++) {
                starts.add(b.start(j));
                assertThat(b.targets()[j * 32 + 31]).isEqualTo(d.validationSplit()[b.start(j) + 32]);
            }
        }

        assertThat(starts).hasSize(d.validationWindows());
        assertThatThrownBy(() -> d.validationBatch(d.validationBatches())).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void byteTokenizer_dataset_hasVocab256() {
        Dataset d = Dataset.of(SMALL, TokenizerKind.BYTE, 64, 4, 1, ledger);

        assertThat(d.vocabSize()).isEqualTo(256);
        assertThat(d.trainTokens() + d.validationTokens()).isEqualTo(8192);
    }

    @Test
    void describe_mentionsCorpusTokenizerAndSplit() {
        assertThat(small(1).describe())
                .startsWith("corpus 'embedded-8192' (8,192 bytes, embedded generator, seed 42); word tokenizer, vocab ")
                .contains(" train, ", " validation (10%)", "batch 8 × seq 32; seed 1");
    }
}
