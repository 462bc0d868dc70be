package org.cllmlab.core.hierarchy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.memory.MemoryLedger;

/**
 * The 12-fold sphere tree in breadth-first order: sphere 0 is the root, 1..12 its children, 13..156
 * the grandchildren, and so on. Worker {@code w} is bound to sphere {@code w}, so any prefix of the
 * order is a connected tree: building only the first {@code W} spheres (lazy) still gives every
 * active worker its sphere and its ancestors.
 */
public final class SphereTree {

    /** Children per sphere in the original trainer. */
    public static final int FANOUT = 12;
    /** Root + 12 + 144: what the original built up front. */
    public static final int ORIGINAL_SPHERES = 1 + FANOUT + FANOUT * FANOUT;

    private final List<Sphere> spheres;
    private final long bytes;

    private SphereTree(List<Sphere> spheres, long bytes) {
        this.spheres = Collections.unmodifiableList(spheres);
        this.bytes = bytes;
    }

    /**
     * Builds the first {@code count} spheres and registers their bytes as {@code hierarchy}. The bytes
     * are measured, not estimated: the heap bytes this thread allocated while building (HotSpot's
     * per-thread allocation counter), which covers every queue array, lock and counter.
     */
    public static SphereTree build(int count, MemoryLedger ledger) {
        if (count <= 0) {
            throw new IllegalArgumentException("spheres: " + count + "; expected a positive integer");
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        boolean measurable = threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled();
        long before = measurable ? threads.getCurrentThreadAllocatedBytes() : 0;
        List<Sphere> list = new ArrayList<>(count);
        for (int id = 0; id < count; id++) {
            int parent = id == 0 ? -1 : (id - 1) / FANOUT;
            int level = id == 0 ? 0 : list.get(parent).level() + 1;
            list.add(new Sphere(id, level, parent));
        }
        long bytes = measurable ? threads.getCurrentThreadAllocatedBytes() - before : 0;
        ledger.add(Category.HIERARCHY, bytes);
        return new SphereTree(list, bytes);
    }

    /** Spheres in a tree with every level complete, deep enough to give {@code workers} workers one each. */
    public static int fullTreeSize(int workers) {
        int size = 1;
        int levelSize = 1;
        while (size < Math.max(workers, ORIGINAL_SPHERES)) {
            levelSize *= FANOUT;
            size += levelSize;
        }
        return size;
    }

    public int size() {
        return spheres.size();
    }

    public List<Sphere> spheres() {
        return spheres;
    }

    /** Heap bytes allocated to build the tree (measured). */
    public long bytes() {
        return bytes;
    }

    /** The sphere worker {@code worker} draws its items from. */
    public Sphere sphereFor(int worker) {
        return spheres.get(worker % spheres.size());
    }
}
