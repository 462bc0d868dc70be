package org.cllmlab.strategies.lockfree;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.strategies.Bindings;

/** The lock-free family: {@code lockfree.thread-local}, {@code lockfree.core-slots}. */
public final class LockFreeStrategiesModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder<String, ConcurrencyStrategy> strategies = Bindings.strategies(binder());
        Bindings.add(strategies, ThreadLocalStrategy.NAME, ThreadLocalStrategy::new);
        Bindings.add(strategies, CoreSlotsStrategy.NAME, CoreSlotsStrategy::new);
    }
}
