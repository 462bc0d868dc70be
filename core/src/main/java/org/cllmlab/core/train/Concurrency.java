package org.cllmlab.core.train;

import java.util.Objects;
import org.cllmlab.core.spi.CachePolicy;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.Hierarchy;
import org.cllmlab.core.spi.ThreadProvisioning;

/**
 * A run's workers and how they share the model, resolved: the components named by a run spec's
 * {@code Parallelism}, fresh instances from the registries, as one value the engine takes whole.
 *
 * @param strategy  how workers share the model and combine gradients
 * @param threads   how worker threads are made
 * @param hierarchy how the sphere tree is built
 * @param caches    how activation caches are sized
 * @param workers   worker count, at least 1
 */
public record Concurrency(ConcurrencyStrategy strategy, ThreadProvisioning threads, Hierarchy hierarchy,
                          CachePolicy caches, int workers) {
    public Concurrency {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(hierarchy, "hierarchy");
        Objects.requireNonNull(caches, "caches");
        if (workers <= 0) {
            throw new IllegalArgumentException("workers: " + workers + "; expected a positive integer");
        }
    }

    public Concurrency withStrategy(ConcurrencyStrategy other) {
        return new Concurrency(other, threads, hierarchy, caches, workers);
    }
}
