package org.cllmlab.strategies;

import com.google.inject.AbstractModule;
import org.cllmlab.strategies.caches.CachesModule;
import org.cllmlab.strategies.hierarchy.HierarchyModule;
import org.cllmlab.strategies.kernels.KernelsModule;
import org.cllmlab.strategies.lock.LockStrategiesModule;
import org.cllmlab.strategies.lockfree.LockFreeStrategiesModule;
import org.cllmlab.strategies.threads.ThreadsModule;

/** Installs every family module this project ships. */
public final class LabModule extends AbstractModule {
    @Override
    protected void configure() {
        install(new LockStrategiesModule());
        install(new LockFreeStrategiesModule());
        install(new ThreadsModule());
        install(new HierarchyModule());
        install(new CachesModule());
        install(new KernelsModule());
    }
}
