package org.cllmlab.core.data;

import org.cllmlab.core.memory.ArrayFootprint;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.memory.MemoryLedger;

/**
 * A split's token ids, stored as 16-bit {@code char}s when the vocabulary has at most 65,536 tokens
 * (every word vocabulary here, and bytes), else as {@code int}s: half the memory for the usual case.
 */
abstract sealed class TokenIds permits TokenIds.Narrow, TokenIds.Wide {

    /** Copies {@code ids[from, to)} into a new store registered in {@code ledger} as {@code dataset}. */
    static TokenIds copyOf(int[] ids, int from, int to, int vocab, MemoryLedger ledger) {
        int n = to - from;
        if (vocab <= Character.MAX_VALUE + 1) {
            char[] a = new char[n];
            for (int i = 0; i < n; i++) {
                a[i] = (char) ids[from + i];
            }
            ledger.add(Category.DATASET, ArrayFootprint.of(n, Character.BYTES));
            return new Narrow(a);
        }
        int[] a = ledger.ints(Category.DATASET, n);
        System.arraycopy(ids, from, a, 0, n);
        return new Wide(a);
    }

    abstract int length();

    /** Copies {@code len} ids from {@code start} into {@code dst[dstOff..]}. */
    abstract void copy(int start, int[] dst, int dstOff, int len);

    /** Heap bytes of the store. */
    abstract long footprint();

    int[] toArray() {
        int[] out = new int[length()];
        copy(0, out, 0, out.length);
        return out;
    }

    static final class Narrow extends TokenIds {
        private final char[] ids;

        Narrow(char[] ids) {
            this.ids = ids;
        }

        @Override
        int length() {
            return ids.length;
        }

        @Override
        void copy(int start, int[] dst, int dstOff, int len) {
            for (int i = 0; i < len; i++) {
                dst[dstOff + i] = ids[start + i];
            }
        }

        @Override
        long footprint() {
            return ArrayFootprint.of(ids.length, Character.BYTES);
        }
    }

    static final class Wide extends TokenIds {
        private final int[] ids;

        Wide(int[] ids) {
            this.ids = ids;
        }

        @Override
        int length() {
            return ids.length;
        }

        @Override
        void copy(int start, int[] dst, int dstOff, int len) {
            System.arraycopy(ids, start, dst, dstOff, len);
        }

        @Override
        long footprint() {
            return ArrayFootprint.ints(ids.length);
        }
    }
}
