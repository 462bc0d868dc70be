package org.cllmlab.core.spi;

import org.cllmlab.core.model.ModelConfig;

/**
 * How activation caches are sized: {@code oversized} at {@code batch × seq} positions per cache, as the
 * original trainer did, or {@code right-sized} at one work item ({@code seq} positions).
 */
public interface CachePolicy {

    String name();

    String description();

    /** Positions one activation cache holds. At least {@code config.seq()}. */
    int rowsPerCache(ModelConfig config);
}
