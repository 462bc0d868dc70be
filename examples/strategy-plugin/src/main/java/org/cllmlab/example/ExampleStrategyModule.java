package org.cllmlab.example;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.strategies.Bindings;

/**
 * Binds the plug-in's strategies by name, exactly as the project's own family modules do. Listed in
 * {@code META-INF/services/com.google.inject.Module}, which is how {@code ./lab --plugins} finds it.
 */
public final class ExampleStrategyModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder<String, ConcurrencyStrategy> strategies = Bindings.strategies(binder());
        Bindings.add(strategies, AddUnderLockStrategy.NAME, AddUnderLockStrategy::new);
        Bindings.add(strategies, UnlockedAddStrategy.NAME, UnlockedAddStrategy::new);
    }
}
