package org.cllmlab.strategies.caches;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.cllmlab.core.spi.CachePolicy;
import org.cllmlab.strategies.Bindings;

/** Cache policy: {@code oversized}, {@code right-sized}. */
public final class CachesModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder<String, CachePolicy> caches = Bindings.caches(binder());
        Bindings.add(caches, CacheSizing.OVERSIZED, CacheSizing::oversized);
        Bindings.add(caches, CacheSizing.RIGHT_SIZED, CacheSizing::rightSized);
    }
}
