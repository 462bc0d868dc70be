package org.cllmlab.core.data;

import java.util.Locale;

import org.cllmlab.core.memory.ArrayFootprint;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.memory.MemoryLedger;

/**
 * A buffer of {@code size()} work items of {@code seq()} tokens each: item {@code i} has its inputs at
 * {@code tokens()[i*seq .. (i+1)*seq)} and its next-token targets at the same place in {@code targets()}.
 * The arrays are ledgered as {@link Category#BATCHES}. A batch is meant to be reused: the dataset refills
 * it in place each step ({@link Dataset#fillTrainBatch(long, Batch)}), so no allocation happens per step.
 *
 * <p>Not thread-safe while being filled; workers may read their own items concurrently afterwards.
 */
public final class Batch {

    private final int size;
    private final int seq;
    private final int[] tokens;
    private final int[] targets;
    private final int[] starts;
    private final MemoryLedger ledger;
    private boolean released;

    private Batch(int size, int seq, MemoryLedger ledger) {
        this.size = size;
        this.seq = seq;
        this.ledger = ledger;
        this.tokens = ledger.ints(Category.BATCHES, size * seq);
        this.targets = ledger.ints(Category.BATCHES, size * seq);
        this.starts = ledger.ints(Category.BATCHES, size);
    }

    /**
     * An empty (all zero) batch of {@code size} items of {@code seq} tokens, ledgered in {@code ledger}.
     *
     * @throws DataException if a size is not positive or {@code size * seq} exceeds an array's capacity
     */
    public static Batch allocate(int size, int seq, MemoryLedger ledger) {
        if (size <= 0) {
            throw new DataException("batch size: " + size + "; expected a positive integer");
        }
        if (seq <= 0) {
            throw new DataException("seq: " + seq + "; expected a positive integer");
        }
        if ((long) size * seq > Integer.MAX_VALUE - 16) {
            throw new DataException(String.format(Locale.ROOT,
                    "batch: %,d items × %,d tokens = %,d tokens; expected at most %,d per batch",
                    size, seq, (long) size * seq, Integer.MAX_VALUE - 16));
        }
        return new Batch(size, seq, ledger);
    }

    /** Number of work items. */
    public int size() {
        return size;
    }

    /** Tokens per work item. */
    public int seq() {
        return seq;
    }

    /** The input tokens of all items, {@code size() * seq()} long (the live array, not a copy). */
    public int[] tokens() {
        return tokens;
    }

    /** The target tokens of all items: each item's inputs shifted by one (the live array, not a copy). */
    public int[] targets() {
        return targets;
    }

    /** Where item {@code i}'s window starts in its split (train or validation) of the dataset. */
    public int start(int i) {
        return starts[i];
    }

    int[] starts() {
        return starts;
    }

    /** Item {@code i} as a work item sharing this batch's arrays. */
    public WorkItem item(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("item " + i + "; expected 0.." + (size - 1));
        }
        return new WorkItem(i, tokens, targets, i * seq, seq);
    }

    /** Removes this batch's arrays from the ledger; call once when the batch is dropped. Idempotent. */
    public void release() {
        if (!released) {
            released = true;
            ledger.release(Category.BATCHES, footprint(size, seq));
        }
    }

    /** The ledgered bytes of a batch of this shape. */
    public static long footprint(int size, int seq) {
        return 2 * ArrayFootprint.ints((long) size * seq)
                + ArrayFootprint.ints(size);
    }

    @Override
    public String toString() {
        return "batch of " + size + " × " + seq + " tokens";
    }
}
