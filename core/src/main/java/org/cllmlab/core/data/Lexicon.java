package org.cllmlab.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The fixed word lists of the {@link EmbeddedCorpus} grammar: function words, and eight topics, each with
 * its own agents, things, verbs and adjectives. Regular plurals and verb forms are derived by rule;
 * irregular ones are written {@code singular/plural} or {@code base/third-person/past}.
 *
 * <p>Changing any list changes every generated corpus, so results stop being comparable; don't.
 */
final class Lexicon {

    /** One noun: singular and plural forms. */
    record Noun(String one, String many) {
    }

    /** One verb: base form (after plural subjects and modals), third person singular, past. */
    record Verb(String base, String third, String past) {
    }

    /** The words of one topic. */
    record Topic(String name, Noun[] agents, Noun[] things, Verb[] transitive, Verb[] intransitive, String[] adjectives) {
    }

    static final String[] DET_ONE = words("the a this that every each no my our your their his her one another");
    static final String[] DET_MANY = words("the these those many few several some all two three four five no my our their");
    static final String[] PREPOSITIONS = words(
            "in on near under behind beside across along through over above below around toward from with without into past beyond");
    static final String[] CONJUNCTIONS = words("and but so because while although after before until since");
    static final String[] MODALS = words("will can may must should could might would");
    static final String[] ADVERBS = words("slowly quickly often never always again soon today yesterday later together"
            + " carefully quietly loudly gently suddenly finally early usually happily");
    static final String[] ADJECTIVES = words("old new small little red good happy");

    static final Topic[] TOPICS = {
        topic("farm",
            "farmer shepherd goat horse hen dog",
            "barn field fence tractor seed apple pumpkin bucket wagon harvest orchard meadow gate basket cart",
            "plant feed/feeds/fed carry gather repair paint pull",
            "rest wander work sleep/sleeps/slept",
            "green muddy ripe golden wooden dusty tired sweet quiet fresh"),
        topic("sea",
            "sailor fisherman/fishermen captain diver gull whale",
            "boat harbor wave net anchor shell island lighthouse rope mast shore storm deck map lantern",
            "steer mend watch load tie cast/casts/cast haul",
            "sail drift swim/swims/swam dive/dives/dove",
            "salty blue stormy calm deep wet rough bright distant silver"),
        topic("city",
            "driver baker clerk officer mayor tourist",
            "street bridge tower market station bus window shop ticket coin letter clock lamp building train",
            "sell/sells/sold buy/buys/bought clean visit open lock deliver",
            "hurry wait arrive travel",
            "busy crowded noisy tall modern narrow expensive empty famous grey"),
        topic("forest",
            "hunter woodcutter fox bear owl rabbit",
            "tree branch leaf/leaves path stream stone mushroom nest log cave root berry trail pond flower",
            "climb follow chase cut/cuts/cut collect hide/hides/hid find/finds/found",
            "hunt listen whisper grow/grows/grew",
            "dark ancient wild shady thick hidden silent damp mossy gentle"),
        topic("kitchen",
            "cook chef waiter cat child/children guest",
            "pot pan knife/knives spoon plate cup oven table bread soup onion egg kettle bowl cake",
            "boil stir/stirs/stirred slice bake taste wash serve",
            "eat/eats/ate laugh hum/hums/hummed smile",
            "hot warm spicy delicious crisp greasy hungry sticky round heavy"),
        topic("school",
            "teacher student pupil professor librarian scholar",
            "book lesson desk pencil chalk page question answer library note story poem exam board notebook",
            "read/reads/read write/writes/wrote study explain draw/draws/drew copy teach/teaches/taught",
            "think/thinks/thought learn speak/speaks/spoke sit/sits/sat",
            "clever difficult careful curious simple long short strange young patient"),
        topic("mountain",
            "climber guide eagle traveler miner wolf/wolves",
            "peak rock cliff glacier valley ridge camp tent boot cloud snow summit slope river wind",
            "reach cross lift pack mark guard descend",
            "rise/rises/rose fall/falls/fell shine/shines/shone freeze/freezes/froze",
            "cold steep icy white high frozen windy rocky lonely bare"),
        topic("workshop",
            "carpenter smith mechanic apprentice builder painter",
            "hammer nail saw plank wheel tool chair box engine bell chain ladder bench shelf/shelves brush",
            "build/builds/built fix polish shape sharpen measure bend/bends/bent",
            "labor whistle sing/sings/sang toil",
            "iron sharp broken rusty solid smooth loud square strong useful"),
    };

    private Lexicon() {
    }

    /** Every word the grammar can produce, lower case (sentence capitals are lower-cased by the word tokenizer). */
    static SortedSet<String> allWords() {
        SortedSet<String> all = new TreeSet<>();
        for (String[] list : List.of(DET_ONE, DET_MANY, PREPOSITIONS, CONJUNCTIONS, MODALS, ADVERBS, ADJECTIVES)) {
            all.addAll(List.of(list));
        }
        all.addAll(List.of("an", "there", "is", "are", "was", "were", "do", "does", "did", "when",
                "he", "she", "it", "they", "we", "you", "and"));
        for (Topic t : TOPICS) {
            for (Noun[] nouns : List.of(t.agents(), t.things())) {
                for (Noun n : nouns) {
                    all.add(n.one());
                    all.add(n.many());
                }
            }
            for (Verb[] verbs : List.of(t.transitive(), t.intransitive())) {
                for (Verb v : verbs) {
                    all.add(v.base());
                    all.add(v.third());
                    all.add(v.past());
                }
            }
            all.addAll(List.of(t.adjectives()));
        }
        return all;
    }

    private static Topic topic(String name, String agents, String things, String transitive, String intransitive,
            String adjectives) {
        return new Topic(name, nouns(agents), nouns(things), verbs(transitive), verbs(intransitive), words(adjectives));
    }

    private static String[] words(String list) {
        return list.trim().split("\\s+");
    }

    private static Noun[] nouns(String list) {
        List<Noun> out = new ArrayList<>();
        for (String w : words(list)) {
            String[] f = w.split("/");
            out.add(new Noun(f[0], f.length > 1 ? f[1] : sibilantS(f[0])));
        }
        return out.toArray(Noun[]::new);
    }

    private static Verb[] verbs(String list) {
        List<Verb> out = new ArrayList<>();
        for (String w : words(list)) {
            String[] f = w.split("/");
            out.add(f.length == 3 ? new Verb(f[0], f[1], f[2]) : new Verb(f[0], sibilantS(f[0]), past(f[0])));
        }
        return out.toArray(Verb[]::new);
    }

    /** Plural of a noun, or third person singular of a verb, for regular words. */
    static String sibilantS(String w) {
        if (w.endsWith("s") || w.endsWith("x") || w.endsWith("z") || w.endsWith("ch") || w.endsWith("sh")
                || w.endsWith("o")) {
            return w + "es";
        }
        if (w.endsWith("y") && w.length() > 1 && !isVowel(w.charAt(w.length() - 2))) {
            return w.substring(0, w.length() - 1) + "ies";
        }
        return w + "s";
    }

    static String past(String w) {
        if (w.endsWith("e")) {
            return w + "d";
        }
        if (w.endsWith("y") && w.length() > 1 && !isVowel(w.charAt(w.length() - 2))) {
            return w.substring(0, w.length() - 1) + "ied";
        }
        return w + "ed";
    }

    static boolean isVowel(char c) {
        return "aeiou".indexOf(c) >= 0;
    }
}
