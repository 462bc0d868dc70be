package org.cllmlab.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EmbeddedCorpusTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 7, 100, 8192, 8193, 65_536, 3 * 1024 * 1024 + 17})
    void generate_anySize_isExactlyThatManyAsciiBytes(long bytes) {
        Corpus c = EmbeddedCorpus.generate(bytes, 42);

        assertThat(c.bytes()).isEqualTo(bytes);
        assertThat(c.text().getBytes(StandardCharsets.UTF_8)).hasSize((int) bytes);
        assertThat(c.text().chars().allMatch(ch -> ch < 128)).isTrue();
    }

    @Test
    void generate_sameSizeAndSeed_givesSameText() {
        assertThat(EmbeddedCorpus.generate(50_000, 7).text()).isEqualTo(EmbeddedCorpus.generate(50_000, 7).text());
    }

    @Test
    void generate_differentSeeds_giveDifferentText() {
        assertThat(EmbeddedCorpus.generate(8192, 1).text()).isNotEqualTo(EmbeddedCorpus.generate(8192, 2).text());
    }

    @Test
    void generate_smallerSize_isPrefixUpToTheCutWord() {
        String big = EmbeddedCorpus.generate(20_000, 3).text();
        String small = EmbeddedCorpus.generate(8192, 3).text().stripTrailing();

        assertThat(big).startsWith(small);
    }

    @Test
    void generate_fixedSeed_matchesPinnedText() {
        // The generator defines the embedded datasets; changing its output makes old results incomparable.
        assertThat(EmbeddedCorpus.generate(8192, 42).text())
                .startsWith("When few careful teachers thought, the teacher studied the little tractor.");
    }

    @Test
    void generate_endsAtWordBoundary() {
        String text = EmbeddedCorpus.generate(8192, 42).text();
        String lastToken = text.strip().substring(text.strip().lastIndexOf(' ') + 1).replaceAll("[.,?]", "");

        assertThat(EmbeddedCorpus.lexicon()).contains(lastToken.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void generate_sizeZero_isRejected() {
        assertThatThrownBy(() -> EmbeddedCorpus.generate(0, 1))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("embedded corpus size: 0 bytes");
    }

    @Test
    void lexicon_size_isAboutTheOriginalVocabulary() {
        assertThat(EmbeddedCorpus.lexicon()).hasSizeBetween(770, 800);
    }

    @Test
    void wordVocabulary_largeCorpus_isAboutTheOriginal788() {
        WordTokenizer t = WordTokenizer.fit(EmbeddedCorpus.generate(4L << 20, 11).text());

        assertThat(t.vocabSize()).isBetween(760, 830);
        // Every lexicon word appears, and nothing else but <unk> and three punctuation marks.
        assertThat(t.vocabulary()).containsAll(EmbeddedCorpus.lexicon());
        assertThat(t.vocabSize()).isEqualTo(EmbeddedCorpus.lexicon().size() + 4);
    }

    @Test
    void wordVocabulary_smallCorpus_isASubsetOfTheLexicon() {
        WordTokenizer t = WordTokenizer.fit(EmbeddedCorpus.generate(EmbeddedCorpus.SMALL_BYTES, 42).text());

        assertThat(t.vocabSize()).isBetween(300, 700);
        assertThat(t.vocabulary().subList(1, t.vocabSize()))
                .allMatch(w -> EmbeddedCorpus.lexicon().contains(w) || w.matches("[.,?]"));
    }

    @Test
    void generatedText_bigramEntropy_isClearlyBelowUnigramEntropy() {
        int[] ids = WordTokenizer.fitAndEncode(EmbeddedCorpus.generate(200_000, 5).text(), Integer.MAX_VALUE).ids();

        Map<Integer, Integer> unigram = new HashMap<>();
        Map<Long, Integer> bigram = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            unigram.merge(ids[i], 1, Integer::sum);
            if (i > 0) {
                bigram.merge(((long) ids[i - 1] << 32) | ids[i], 1, Integer::sum);
            }
        }
        Map<Integer, Integer> previous = new HashMap<>();
        for (int i = 0; i + 1 < ids.length; i++) {
            previous.merge(ids[i], 1, Integer::sum);
        }
        double hUnigram = 0;
        for (int count : unigram.values()) {
            double p = (double) count / ids.length;
            hUnigram -= p * log2(p);
        }
        double hConditional = 0; // H(next | previous)
        for (Map.Entry<Long, Integer> e : bigram.entrySet()) {
            double pJoint = (double) e.getValue() / (ids.length - 1);
            double pGiven = (double) e.getValue() / previous.get((int) (e.getKey() >>> 32));
            hConditional -= pJoint * log2(pGiven);
        }

        assertThat(hUnigram).isGreaterThan(6.0);
        assertThat(hConditional).isLessThan(hUnigram - 1.5);
    }

    @Test
    void generate_24MiB_isFastEnough() {
        long t0 = System.nanoTime();
        Corpus c = EmbeddedCorpus.generate(EmbeddedCorpus.LARGE_BYTES, 1);
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(c.text()).hasSize(25_165_824);
        assertThat(ms).as("milliseconds to generate 24 MiB").isLessThan(10_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8192", "8k", "8KB", "8 KiB"})
    void parseSize_eightKilobytes_is8192(String text) {
        assertThat(EmbeddedCorpus.parseSize(text)).isEqualTo(8192);
    }

    @Test
    void parseSize_24m_isTheLargeDataset() {
        assertThat(EmbeddedCorpus.parseSize("24MB")).isEqualTo(EmbeddedCorpus.LARGE_BYTES);
    }

    @Test
    void parseSize_garbage_failsNamingTheValue() {
        assertThatThrownBy(() -> EmbeddedCorpus.parseSize("lots"))
                .isInstanceOf(DataException.class)
                .hasMessage("corpus size: 'lots' is not a size; expected bytes such as 8192, 8k or 24m");
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
