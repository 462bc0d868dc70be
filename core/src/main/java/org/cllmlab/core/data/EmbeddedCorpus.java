package org.cllmlab.core.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cllmlab.core.data.Lexicon.Noun;
import org.cllmlab.core.data.Lexicon.Topic;
import org.cllmlab.core.data.Lexicon.Verb;

/**
 * The built-in corpus: deterministic, learnable, English-like ASCII text of an exact size.
 *
 * <p>Text comes from a small stochastic grammar over a fixed lexicon of 784 words (see
 * {@link #lexicon()}): sentence templates built from determiners, adjectives, nouns, verbs, adverbs and
 * prepositions, with number agreement ({@code the goat feeds} / {@code the goats feed}, {@code a} /
 * {@code an}), one tense per paragraph, and one topic per paragraph (farm, sea, city, forest, kitchen,
 * school, mountain, workshop) from which most words are drawn, with a recurring protagonist. Word choice
 * within a list is Zipf-like. So a model can learn local syntax and paragraph-level topic, and its loss
 * falls well below the unigram entropy. Word-level tokenization of a corpus of 1 MiB or more gives a
 * vocabulary of 788 tokens (the 784 words, {@code . , ?} and {@code <unk>}), the original trainer's size;
 * the 8 KiB corpus uses about 480 of them.
 *
 * <p>The same {@code (bytes, seed)} always gives the same text, on any JVM: the random stream is
 * {@link SplitMix}, defined in this package.
 */
public final class EmbeddedCorpus {

    /** The original's "small" dataset: 8 KiB. */
    public static final long SMALL_BYTES = 8L * 1024;
    /** The original's "large" dataset: 24 MiB. */
    public static final long LARGE_BYTES = 24L * 1024 * 1024;
    /** The largest corpus a Java string can hold. */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 16;

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)", Pattern.CASE_INSENSITIVE);

    private EmbeddedCorpus() {
    }

    /**
     * Generates exactly {@code bytes} bytes of text from {@code seed}. The text ends at a word boundary;
     * if the last sentence does not fit, it is cut after a whole word and padded with spaces.
     *
     * @throws DataException if {@code bytes} is not in {@code 1..MAX_BYTES}
     */
    public static Corpus generate(long bytes, long seed) {
        if (bytes < 1 || bytes > MAX_BYTES) {
            throw new DataException(String.format(Locale.ROOT,
                    "embedded corpus size: %,d bytes; expected 1 to %,d bytes", bytes, MAX_BYTES));
        }
        String text = new Generator(seed, (int) bytes).run();
        return new Corpus("embedded-" + bytes, text, bytes, "embedded generator, seed " + seed);
    }

    /** Every word the generator can produce, lower case. */
    public static SortedSet<String> lexicon() {
        return Collections.unmodifiableSortedSet(Lexicon.allWords());
    }

    /**
     * Parses a size such as {@code 8192}, {@code 8k}, {@code 8KB}, {@code 24m} or {@code 24MiB}; the units
     * are binary (k = 1024).
     */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new DataException("corpus size: '" + text + "' is not a size; expected bytes such as 8192, 8k or 24m");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new DataException("corpus size: '" + text + "' is too large; expected at most " + MAX_BYTES + " bytes", e);
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k", "kb", "kib" -> 10;
            case "m", "mb", "mib" -> 20;
            case "g", "gb", "gib" -> 30;
            default -> 0;
        };
        if (n > (MAX_BYTES >> shift)) {
            throw new DataException("corpus size: '" + text + "' is too large; expected at most " + MAX_BYTES + " bytes");
        }
        return n << shift;
    }

    /** One generation run; not thread-safe. */
    private static final class Generator {

        private static final Map<Integer, int[]> TABLES = new HashMap<>();

        private final SplitMix rng;
        private final int target;
        private final StringBuilder sb;

        private Topic topic;
        private boolean past;
        private Noun hero;
        private boolean heroPlural;
        private boolean capital;

        Generator(long seed, int target) {
            this.rng = new SplitMix(seed);
            this.target = target;
            this.sb = new StringBuilder(target + 512);
        }

        String run() {
            while (sb.length() < target) {
                paragraph();
            }
            int cut = target;
            if (sb.length() > cut && isWordChar(sb.charAt(cut)) && isWordChar(sb.charAt(cut - 1))) {
                while (cut > 0 && isWordChar(sb.charAt(cut - 1))) {
                    cut--;
                }
            }
            sb.setLength(cut);
            while (sb.length() < target) {
                sb.append(' ');
            }
            return sb.toString();
        }

        private static boolean isWordChar(char c) {
            return Character.isLetterOrDigit(c);
        }

        private void paragraph() {
            topic = Lexicon.TOPICS[rng.nextInt(Lexicon.TOPICS.length)];
            past = rng.chance(0.5);
            hero = pick(topic.agents());
            heroPlural = rng.chance(0.3);
            int sentences = 3 + rng.nextInt(5);
            for (int i = 0; i < sentences && sb.length() < target; i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sentence();
            }
            sb.append('\n');
        }

        private void sentence() {
            capital = true;
            int r = rng.nextInt(100);
            if (r < 24) { // the farmer feeds the old goats in the barn.
                boolean pl = subject();
                word(transitive().form(pl, past));
                object();
                if (rng.chance(0.4)) {
                    pp();
                }
                if (rng.chance(0.15)) {
                    word(pick(Lexicon.ADVERBS));
                }
                punct('.');
            } else if (r < 36) { // the hens rest quietly near the fence.
                boolean pl = subject();
                word(intransitive().form(pl, past));
                if (rng.chance(0.3)) {
                    word(pick(Lexicon.ADVERBS));
                }
                if (rng.chance(0.5)) {
                    pp();
                }
                punct('.');
            } else if (r < 44) { // in the barn, the farmer paints a wagon.
                pp();
                punct(',');
                boolean pl = subject();
                word(transitive().form(pl, past));
                object();
                punct('.');
            } else if (r < 54) { // the farmer will repair the gate.
                subject();
                word(pick(Lexicon.MODALS));
                word(transitive().base());
                object();
                if (rng.chance(0.2)) {
                    word(pick(Lexicon.ADVERBS));
                }
                punct('.');
            } else if (r < 62) { // the barn was dusty and quiet.
                boolean pl = rng.chance(0.35);
                nounPhrase(thing(), pl);
                word(be(pl));
                word(adjective());
                if (rng.chance(0.3)) {
                    word("and");
                    word(adjective());
                }
                punct('.');
            } else if (r < 68) { // there are three baskets in the orchard.
                boolean pl = rng.chance(0.5);
                word("there");
                word(be(pl));
                indefinite(thing(), pl);
                pp();
                punct('.');
            } else if (r < 78) { // the farmer feeds the goats, and he rests.
                boolean pl = subject();
                word(transitive().form(pl, past));
                object();
                punct(',');
                word(pick(Lexicon.CONJUNCTIONS));
                boolean pl2 = pronoun(pl);
                word(intransitive().form(pl2, past));
                if (rng.chance(0.3)) {
                    word(pick(Lexicon.ADVERBS));
                }
                punct('.');
            } else if (r < 86) { // does the farmer feed the goats? / can the farmer ...?
                boolean pl = rng.chance(0.3);
                if (rng.chance(0.7)) {
                    word(past ? "did" : pl ? "do" : "does");
                } else {
                    word(pick(Lexicon.MODALS));
                }
                nounPhrase(agent(), pl);
                word(transitive().base());
                object();
                punct('?');
            } else if (r < 92) { // when the dog sleeps, the farmer paints the fence.
                word("when");
                boolean pl = rng.chance(0.3);
                nounPhrase(agent(), pl);
                word(intransitive().form(pl, past));
                punct(',');
                boolean pl2 = subject();
                word(transitive().form(pl2, past));
                object();
                punct('.');
            } else if (r < 96) { // slowly, the farmer works in the field.
                word(pick(Lexicon.ADVERBS));
                punct(',');
                boolean pl = subject();
                word(intransitive().form(pl, past));
                if (rng.chance(0.5)) {
                    pp();
                }
                punct('.');
            } else if (r < 98) { // we gather the apples near the barn.
                word(rng.chance(0.5) ? "we" : "you");
                word(transitive().form(true, past));
                object();
                pp();
                punct('.');
            } else { // it was cold and quiet.
                word("it");
                word(be(false));
                word(adjective());
                word("and");
                word(adjective());
                punct('.');
            }
        }

        /** A subject noun phrase, often the paragraph's protagonist; returns whether it is plural. */
        private boolean subject() {
            if (rng.chance(0.4)) {
                word("the");
                if (rng.chance(0.25)) {
                    word(adjective());
                }
                word(heroPlural ? hero.many() : hero.one());
                return heroPlural;
            }
            boolean pl = rng.chance(0.3);
            nounPhrase(agent(), pl);
            return pl;
        }

        private boolean pronoun(boolean plural) {
            if (plural) {
                word("they");
                return true;
            }
            word(rng.chance(0.5) ? "he" : "she");
            return false;
        }

        private void object() {
            nounPhrase(thing(), rng.chance(0.4));
        }

        private void pp() {
            word(pick(Lexicon.PREPOSITIONS));
            nounPhrase(thing(), rng.chance(0.3));
        }

        private void nounPhrase(Noun noun, boolean plural) {
            String det = pick(plural ? Lexicon.DET_MANY : Lexicon.DET_ONE);
            String adj = rng.chance(0.35) ? adjective() : null;
            String head = plural ? noun.many() : noun.one();
            if (det.equals("a") && Lexicon.isVowel(adj != null ? adj.charAt(0) : head.charAt(0))) {
                det = "an";
            }
            word(det);
            if (adj != null) {
                word(adj);
            }
            word(head);
        }

        private void indefinite(Noun noun, boolean plural) {
            if (plural) {
                word(pick(new String[] {"some", "many", "few", "several", "two", "three", "four", "five"}));
                word(noun.many());
            } else {
                word(Lexicon.isVowel(noun.one().charAt(0)) ? "an" : "a");
                word(noun.one());
            }
        }

        private String be(boolean plural) {
            return past ? (plural ? "were" : "was") : (plural ? "are" : "is");
        }

        private Topic otherwise(double stay) {
            return rng.chance(stay) ? topic : Lexicon.TOPICS[rng.nextInt(Lexicon.TOPICS.length)];
        }

        private Noun agent() {
            return pick(otherwise(0.88).agents());
        }

        private Noun thing() {
            return pick(otherwise(0.85).things());
        }

        private VerbForms transitive() {
            return new VerbForms(pick(otherwise(0.9).transitive()));
        }

        private VerbForms intransitive() {
            return new VerbForms(pick(otherwise(0.9).intransitive()));
        }

        private String adjective() {
            return rng.chance(0.7) ? pick(otherwise(0.9).adjectives()) : pick(Lexicon.ADJECTIVES);
        }

        private record VerbForms(Verb verb) {
            String form(boolean plural, boolean past) {
                return past ? verb.past() : plural ? verb.base() : verb.third();
            }

            String base() {
                return verb.base();
            }
        }

        private <T> T pick(T[] items) {
            int[] table = table(items.length);
            return items[table[rng.nextInt(table.length)]];
        }

        /**
         * A lookup table for Zipf choice among n ranked items: item r gets slots in proportion to
         * 1/(r+1), as word frequencies in natural text, and at least one.
         */
        private static int[] table(int n) {
            synchronized (TABLES) {
                return TABLES.computeIfAbsent(n, k -> {
                    double sum = 0;
                    for (int r = 0; r < k; r++) {
                        sum += 1.0 / (r + 1);
                    }
                    int size = 32 * k;
                    int[] t = new int[size * 2];
                    int at = 0;
                    for (int r = 0; r < k; r++) {
                        int slots = Math.max(1, (int) Math.round(size / (sum * (r + 1))));
                        for (int s = 0; s < slots; s++) {
                            t[at++] = r;
                        }
                    }
                    return Arrays.copyOf(t, at);
                });
            }
        }

        private void word(String w) {
            if (!capital) {
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
                    sb.append(' ');
                }
                sb.append(w);
            } else {
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n' && sb.charAt(sb.length() - 1) != ' ') {
                    sb.append(' ');
                }
                sb.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
                capital = false;
            }
        }

        private void punct(char c) {
            sb.append(c);
        }
    }
}
