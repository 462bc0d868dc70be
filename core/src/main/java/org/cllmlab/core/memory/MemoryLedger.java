package org.cllmlab.core.memory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Exact bytes of every large allocation, by {@link Category}, registered at the place that makes it.
 * The figures are the heap footprint of the arrays themselves (header, elements, alignment padding),
 * so they are <em>used heap</em> bytes, not resident bytes.
 *
 * <p>Thread-safe: workers allocate their own buffers concurrently.
 */
public final class MemoryLedger {

    private final AtomicLongArray live = new AtomicLongArray(Category.values().length);
    private final AtomicLongArray peak = new AtomicLongArray(Category.values().length);

    public float[] floats(Category category, int length) {
        float[] a = new float[length];
        add(category, ArrayFootprint.floats(length));
        return a;
    }

    public int[] ints(Category category, int length) {
        int[] a = new int[length];
        add(category, ArrayFootprint.ints(length));
        return a;
    }

    public long[] longs(Category category, int length) {
        long[] a = new long[length];
        add(category, ArrayFootprint.longs(length));
        return a;
    }

    public byte[] bytes(Category category, int length) {
        byte[] a = new byte[length];
        add(category, ArrayFootprint.bytes(length));
        return a;
    }

    /** Registers bytes measured elsewhere (for example an object graph whose size is computed). */
    public void add(Category category, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: " + bytes + "; expected >= 0");
        }
        long now = live.addAndGet(category.ordinal(), bytes);
        peak.accumulateAndGet(category.ordinal(), now, Math::max);
    }

    /** Records that bytes registered earlier are no longer reachable. */
    public void release(Category category, long bytes) {
        long now = live.addAndGet(category.ordinal(), -bytes);
        if (now < 0) {
            throw new IllegalStateException("category " + category.id() + " released more than it registered");
        }
    }

    public long bytes(Category category) {
        return live.get(category.ordinal());
    }

    public long peakBytes(Category category) {
        return peak.get(category.ordinal());
    }

    public long totalBytes() {
        long sum = 0;
        for (int i = 0; i < live.length(); i++) {
            sum += live.get(i);
        }
        return sum;
    }

    /** Live bytes per category, in category order. */
    public Map<Category, Long> snapshot() {
        Map<Category, Long> m = new EnumMap<>(Category.class);
        for (Category c : Category.values()) {
            m.put(c, bytes(c));
        }
        return m;
    }
}
