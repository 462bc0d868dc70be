package org.cllmlab.strategies.example;

import com.google.inject.AbstractModule;
import org.cllmlab.strategies.Bindings;

/** Binds the README's worked example, exactly as a user's own module would. */
public final class ExampleStrategyModule extends AbstractModule {
    @Override
    protected void configure() {
        Bindings.add(Bindings.strategies(binder()), AddUnderLockStrategy.NAME, AddUnderLockStrategy::new);
    }
}
