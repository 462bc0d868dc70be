package org.cllmlab.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class TokenizerTest {

    @Test
    void wordTokenizer_knownWords_roundTripLowerCased() {
        WordTokenizer t = WordTokenizer.fit("The cat sat on the mat. The dog, too, sat!");
        String text = "the dog sat on the cat, the mat sat too.";

        assertThat(t.decode(t.encode(text))).isEqualTo(text);
        assertThat(t.decode(t.encode("The Dog SAT."))).isEqualTo("the dog sat.");
    }

    @Test
    void wordTokenizer_unknownWord_mapsToUnk() {
        WordTokenizer t = WordTokenizer.fit("the cat sat");

        int[] ids = t.encode("the zebra sat");

        assertThat(ids).containsExactly(t.id("the"), 0, t.id("sat"));
        assertThat(t.token(0)).isEqualTo(WordTokenizer.UNKNOWN);
        assertThat(t.decode(ids)).isEqualTo("the <unk> sat");
    }

    @Test
    void wordTokenizer_vocabulary_isOrderedByFrequencyThenAlphabet() {
        WordTokenizer t = WordTokenizer.fit("b a c a b a . d");

        assertThat(t.vocabulary()).containsExactly("<unk>", "a", "b", ".", "c", "d");
    }

    @Test
    void wordTokenizer_punctuationAndApostrophes_splitAsDocumented() {
        WordTokenizer t = WordTokenizer.of(List.of("don't", "stop", ",", "well", "-", "known", "!"));

        assertThat(t.decode(t.encode("Don't stop, well-known!"))).isEqualTo("don't stop, well - known!");
    }

    @Test
    void wordTokenizer_maxVocab_keepsMostFrequent() {
        WordTokenizer t = WordTokenizer.fit("a a a b b c", 3);

        assertThat(t.vocabulary()).containsExactly("<unk>", "a", "b");
        assertThat(t.encode("c")).containsExactly(0);
    }

    @Test
    void wordTokenizer_fitAndEncode_equalsFitThenEncode() {
        String text = EmbeddedCorpus.generate(20_000, 9).text();
        TokenizedText once = WordTokenizer.fitAndEncode(text, Integer.MAX_VALUE);

        assertThat(once.ids()).isEqualTo(once.tokenizer().encode(text));
        assertThat(once.tokenizer().vocabSize()).isEqualTo(WordTokenizer.fit(text).vocabSize());
    }

    @Test
    void byteTokenizer_nonAsciiText_roundTrips() {
        String text = "Grüße, 東京! 🙂 naïve café";
        int[] ids = ByteTokenizer.INSTANCE.encode(text);

        assertThat(ByteTokenizer.INSTANCE.decode(ids)).isEqualTo(text);
        assertThat(ids).hasSize(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(Arrays.stream(ids).allMatch(id -> id >= 0 && id < 256)).isTrue();
        assertThat(ByteTokenizer.INSTANCE.vocabSize()).isEqualTo(256);
    }

    @Test
    void tokenizerKind_knownNames_parse() {
        assertThat(TokenizerKind.parse("word")).isEqualTo(TokenizerKind.WORD);
        assertThat(TokenizerKind.parse("byte").build("abc").name()).isEqualTo("byte");
    }

    @Test
    void tokenizerKind_unknownName_failsListingKnownNames() {
        assertThatThrownBy(() -> TokenizerKind.parse("bpe"))
                .isInstanceOf(DataException.class)
                .hasMessage("tokenizer: 'bpe' is unknown; expected one of word, byte");
    }
}
