package org.cllmlab.strategies.threads;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.cllmlab.core.spi.ThreadProvisioning;
import org.cllmlab.strategies.Bindings;

/** Thread provisioning: {@code platform-8m}, {@code platform-1m}, {@code platform-default}, {@code virtual}. */
public final class ThreadsModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder<String, ThreadProvisioning> threads = Bindings.threads(binder());
        Bindings.add(threads, "platform-8m", PlatformThreads::stack8m);
        Bindings.add(threads, "platform-1m", PlatformThreads::stack1m);
        Bindings.add(threads, "platform-default", PlatformThreads::jvmDefault);
        Bindings.add(threads, VirtualThreads.NAME, VirtualThreads::new);
    }
}
