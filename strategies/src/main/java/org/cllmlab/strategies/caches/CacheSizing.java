package org.cllmlab.strategies.caches;

import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.spi.CachePolicy;

/**
 * {@code oversized}: each activation cache holds {@code batch × seq} positions, as the original
 * allocated it, although a worker processes one item of {@code seq} positions at a time.
 * {@code right-sized}: each cache holds one work item.
 */
public final class CacheSizing implements CachePolicy {

    public static final String OVERSIZED = "oversized";
    public static final String RIGHT_SIZED = "right-sized";

    private final boolean oversized;

    private CacheSizing(boolean oversized) {
        this.oversized = oversized;
    }

    public static CacheSizing oversized() {
        return new CacheSizing(true);
    }

    public static CacheSizing rightSized() {
        return new CacheSizing(false);
    }

    @Override
    public String name() {
        return oversized ? OVERSIZED : RIGHT_SIZED;
    }

    @Override
    public String description() {
        return oversized ? "each activation cache sized batch x seq positions, as the original"
                : "each activation cache sized for one work item (seq positions)";
    }

    @Override
    public int rowsPerCache(ModelConfig config) {
        return oversized ? Math.multiplyExact(config.batch(), config.seq()) : config.seq();
    }
}
