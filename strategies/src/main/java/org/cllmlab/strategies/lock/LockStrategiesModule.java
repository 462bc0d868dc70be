package org.cllmlab.strategies.lock;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.strategies.Bindings;

/** The lock family: {@code lock.global}, {@code lock.per-layer}, {@code lock.per-layer-inline}. */
public final class LockStrategiesModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder<String, ConcurrencyStrategy> strategies = Bindings.strategies(binder());
        Bindings.add(strategies, GlobalLockStrategy.NAME, GlobalLockStrategy::new);
        Bindings.add(strategies, PerLayerLockStrategy.SCRATCH, PerLayerLockStrategy::scratch);
        Bindings.add(strategies, PerLayerLockStrategy.INLINE, PerLayerLockStrategy::inline);
    }
}
