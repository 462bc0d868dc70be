package org.cllmlab.core.model;

import org.cllmlab.core.memory.ArrayFootprint;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.memory.MemoryLedger;

/**
 * Everything one forward pass keeps for its backward pass, plus the backward pass's scratch. Made by
 * {@link Transformer#newCache}; owned by one thread at a time.
 *
 * <p>Every per-position buffer has {@code capacityRows} rows, so an "oversized" cache (batch × seq rows)
 * really costs what it claims. A forward pass stacks its items ({@code length <= seq} positions each) one after
 * another in the first rows, so the matrix products of a group of items run as one. Shapes below use
 * {@code T = capacityRows}, {@code S = seq}, {@code H = heads}, {@code V = vocab}. All arrays are
 * registered with the ledger (including the small per-layer reference arrays): forward activations (and the token copies) as {@link Category#ACTIVATIONS},
 * backward scratch as {@link Category#WORKSPACE}.
 */
public final class ActivationCache {

    final int capacityRows;
    /**
     * Whether the cache keeps only what the next layer needs (validation, sampling): one block's buffers shared
     * by every block and two residual buffers used in turn, no backward scratch. It cannot be run backward.
     */
    final boolean forwardOnly;
    /** Positions held by the last forward pass, over all its items; 0 before the first. */
    int length;
    /** Items of the last forward pass, stacked one after another in every per-position buffer. */
    int items;
    /** {@code starts[i]} is the first row of item {@code i}; {@code starts[items] == length}. */
    final int[] starts;
    /** Whether the last forward pass had targets (and so can be run backward). */
    boolean hasTargets;

    // ---- forward activations
    final int[] tokens;          // [T] copy of the input tokens of the last forward
    final int[] targets;         // [T] copy of its targets
    final float[][] x;           // [layers + 1][T, d] residual stream entering each block; x[layers] enters the final LN
    final float[][] ln1Out;      // [layers][T, d]
    final float[][] ln1Mean;     // [layers][T]
    final float[][] ln1Rstd;     // [layers][T]
    final float[][] qkv;         // [layers][T, 3d] q, k, v columns
    final float[][] att;         // [layers][H, T, S]; an item of length L at row r uses H·L·L floats from H·S·r
    final float[][] attY;        // [layers][T, d] concatenated head outputs (before the projection)
    final float[][] xMid;        // [layers][T, d] residual stream after attention
    final float[][] ln2Out;      // [layers][T, d]
    final float[][] ln2Mean;     // [layers][T]
    final float[][] ln2Rstd;     // [layers][T]
    final float[][] fc1;         // [layers][T, ff] MLP pre-activation
    final float[][] gelu;        // [layers][T, ff] MLP activation
    final float[] lnfOut;        // [T, d]
    final float[] lnfMean;       // [T]
    final float[] lnfRstd;       // [T]
    final float[] logits;        // [T, V]

    // ---- backward scratch
    final float[] dX;            // [T, d] gradient of the residual stream
    final float[] dLn;           // [T, d] gradient of a LayerNorm output
    final float[] dAttY;         // [T, d] gradient of the head outputs
    final float[] dQkv;          // [T, 3d]
    final float[] dAtt;          // [T, S] one head's gradient of probabilities/scores, used as [L, L]
    final float[] dHidden;       // [T, ff] gradient of the MLP activation, then of its pre-activation
    final float[] dLogits;       // [T, V]

    /**
     * Nanoseconds spent by the passes run on this cache, per {@link OpTimes} family (indexed by its
     * constants). Written only by the thread running a pass on this cache, so workers never share one.
     */
    final long[] opNanos;

    private final long bytes;

    ActivationCache(ModelConfig config, int capacityRows, MemoryLedger ledger) {
        this(config, capacityRows, ledger, false);
    }

    ActivationCache(ModelConfig config, int capacityRows, MemoryLedger ledger, boolean forwardOnly) {
        if (capacityRows < config.seq()) {
            throw new IllegalArgumentException("capacityRows: " + capacityRows + "; expected >= seq " + config.seq());
        }
        this.capacityRows = capacityRows;
        this.forwardOnly = forwardOnly;
        int t = capacityRows;
        int d = config.dModel();
        int ff = config.dFf();
        int layers = config.layers();
        int v = config.vocab();
        int attSize = Math.multiplyExact(Math.multiplyExact(config.heads(), t), config.seq());
        Counter c = new Counter(ledger);
        Category a = Category.ACTIVATIONS;
        Category w = Category.WORKSPACE;

        tokens = c.ints(a, t);
        targets = c.ints(a, t);
        starts = c.ints(a, t + 1);
        x = c.rows(a, layers + 1);
        for (int l = 0; l <= layers; l++) {
            // Forward only: block l reads x[l] and writes x[l + 1], so two buffers in turn suffice.
            x[l] = forwardOnly && l >= 2 ? x[l % 2] : c.floats(a, t * d);
        }
        ln1Out = c.rows(a, layers);
        ln1Mean = c.rows(a, layers);
        ln1Rstd = c.rows(a, layers);
        qkv = c.rows(a, layers);
        att = c.rows(a, layers);
        attY = c.rows(a, layers);
        xMid = c.rows(a, layers);
        ln2Out = c.rows(a, layers);
        ln2Mean = c.rows(a, layers);
        ln2Rstd = c.rows(a, layers);
        fc1 = c.rows(a, layers);
        gelu = c.rows(a, layers);
        for (int l = 0; l < layers; l++) {
            if (forwardOnly && l > 0) {
                // A block reads only its own buffers and x[l]: every block may reuse the first one's.
                ln1Out[l] = ln1Out[0];
                ln1Mean[l] = ln1Mean[0];
                ln1Rstd[l] = ln1Rstd[0];
                qkv[l] = qkv[0];
                att[l] = att[0];
                attY[l] = attY[0];
                xMid[l] = xMid[0];
                ln2Out[l] = ln2Out[0];
                ln2Mean[l] = ln2Mean[0];
                ln2Rstd[l] = ln2Rstd[0];
                fc1[l] = fc1[0];
                gelu[l] = gelu[0];
                continue;
            }
            ln1Out[l] = c.floats(a, t * d);
            ln1Mean[l] = c.floats(a, t);
            ln1Rstd[l] = c.floats(a, t);
            qkv[l] = c.floats(a, Math.multiplyExact(t, 3 * d));
            att[l] = c.floats(a, attSize);
            attY[l] = c.floats(a, t * d);
            xMid[l] = c.floats(a, t * d);
            ln2Out[l] = c.floats(a, t * d);
            ln2Mean[l] = c.floats(a, t);
            ln2Rstd[l] = c.floats(a, t);
            fc1[l] = c.floats(a, Math.multiplyExact(t, ff));
            gelu[l] = c.floats(a, Math.multiplyExact(t, ff));
        }
        lnfOut = c.floats(a, t * d);
        lnfMean = c.floats(a, t);
        lnfRstd = c.floats(a, t);
        logits = c.floats(a, Math.multiplyExact(t, v));

        int scratch = forwardOnly ? 0 : t;
        dX = c.floats(w, scratch * d);
        dLn = c.floats(w, scratch * d);
        dAttY = c.floats(w, scratch * d);
        dQkv = c.floats(w, Math.multiplyExact(scratch, 3 * d));
        dAtt = c.floats(w, Math.multiplyExact(scratch, config.seq()));
        dHidden = c.floats(w, Math.multiplyExact(scratch, ff));
        dLogits = c.floats(w, Math.multiplyExact(scratch, v));
        opNanos = c.longs(w, OpTimes.FAMILIES);
        bytes = c.total;
    }

    /** Whether this cache serves forward passes only ({@link Transformer#newForwardCache}). */
    public boolean forwardOnly() {
        return forwardOnly;
    }

    /** Positions this cache can hold. */
    public int capacityRows() {
        return capacityRows;
    }

    /** Positions held by the last forward pass, over all its items (0 before the first). */
    public int length() {
        return length;
    }

    /** Items held by the last forward pass (0 before the first). */
    public int items() {
        return items;
    }

    /**
     * The time the passes on this cache spent per family of operation since it was made or last reset
     * ({@link Transformer#resetProfile()}). Read it while no pass runs on this cache, or from the thread
     * that runs them.
     */
    public OpTimes profile() {
        return OpTimes.of(opNanos);
    }

    /** Adds the time since {@code since} to {@code family}; returns the current time, the next lap's start. */
    long lap(int family, long since) {
        long now = System.nanoTime();
        opNanos[family] += now - since;
        return now;
    }

    /** Bytes this cache registered with its ledger (activations and workspace together). */
    public long footprintBytes() {
        return bytes;
    }

    /** Allocates through the ledger and keeps a running total of what it registered. */
    private static final class Counter {
        private final MemoryLedger ledger;
        private long total;

        Counter(MemoryLedger ledger) {
            this.ledger = ledger;
        }

        float[] floats(Category category, int n) {
            float[] f = ledger.floats(category, n);
            total += ArrayFootprint.floats(n);
            return f;
        }

        /** An array of per-layer row references; its own (small) footprint is ledgered too. */
        float[][] rows(Category category, int n) {
            ledger.add(category, ArrayFootprint.references(n));
            total += ArrayFootprint.references(n);
            return new float[n][];
        }

        long[] longs(Category category, int n) {
            long[] l = ledger.longs(category, n);
            total += ArrayFootprint.longs(n);
            return l;
        }

        int[] ints(Category category, int n) {
            int[] i = ledger.ints(category, n);
            total += ArrayFootprint.ints(n);
            return i;
        }
    }
}
