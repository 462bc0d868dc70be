package org.cllmlab.core.data;

import java.util.Arrays;

/**
 * An open-addressing map from token text to a dense id that is looked up by a range of the corpus
 * string, lower-casing ASCII letters on the fly, so that tokenizing a corpus allocates nothing per
 * token. (A 24 MB corpus has about five million tokens; a substring each would be a quarter of a
 * gigabyte of short-lived garbage, all of it touched heap.)
 *
 * <p>Keys are stored lower-cased. Ranges with non-ASCII characters are looked up by their
 * {@code toLowerCase(Locale.ROOT)} string instead, which is exact for every script.
 */
final class TokenTable {

    private String[] keys;
    private int[] ids;
    private int size;

    TokenTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new String[cap];
        ids = new int[cap];
    }

    int size() {
        return size;
    }

    /** The id of {@code key} (already lower case), or -1. */
    int find(String key) {
        return find(key, 0, key.length(), false);
    }

    /**
     * The id of {@code text[start, end)}, lower-cased when {@code lower} (which requires the range to
     * be ASCII), or -1 if absent.
     */
    int find(String text, int start, int end, boolean lower) {
        int mask = keys.length - 1;
        for (int slot = hash(text, start, end, lower) & mask; ; slot = (slot + 1) & mask) {
            String k = keys[slot];
            if (k == null) {
                return -1;
            }
            if (matches(k, text, start, end, lower)) {
                return ids[slot];
            }
        }
    }

    /** Adds {@code key} (lower case, not present) with {@code id}. */
    void put(String key, int id) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        insert(key, id);
        size++;
    }

    private void insert(String key, int id) {
        int mask = keys.length - 1;
        int slot = hash(key, 0, key.length(), false) & mask;
        while (keys[slot] != null) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        ids[slot] = id;
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldIds = ids;
        keys = new String[oldKeys.length * 2];
        ids = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                insert(oldKeys[i], oldIds[i]);
            }
        }
    }

    /** Whether {@code text[start, end)} is all ASCII. */
    static boolean ascii(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static char lowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    private static int hash(String s, int start, int end, boolean lower) {
        int h = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            h = 31 * h + (lower ? lowerAscii(c) : c);
        }
        return h ^ (h >>> 16);
    }

    private static boolean matches(String key, String text, int start, int end, boolean lower) {
        if (key.length() != end - start) {
            return false;
        }
        for (int i = start, j = 0; i < end; i++, j++) {
            char c = text.charAt(i);
            if ((lower ? lowerAscii(c) : c) != key.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "token table (" + size + " of " + keys.length + " slots; " + Arrays.stream(keys).filter(k -> k != null)
                .limit(3).toList() + "...)";
    }
}
