package org.cllmlab.strategies.threads;

import java.util.concurrent.ThreadFactory;
import org.cllmlab.core.spi.ThreadProvisioning;

/**
 * {@code virtual}: virtual threads, scheduled on the JVM's carrier pool (as many carriers as cores).
 * Their stacks are heap objects (stack chunks) that grow with use, so their cost appears as heap,
 * not as reserved native stacks.
 */
public final class VirtualThreads implements ThreadProvisioning {

    public static final String NAME = "virtual";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "virtual threads; stacks live on the heap and grow with use";
    }

    @Override
    public ThreadFactory factory(String prefix) {
        return Thread.ofVirtual().name(prefix + "-", 0).factory();
    }

    @Override
    public boolean virtual() {
        return true;
    }

    @Override
    public long requestedStackBytes() {
        return 0;
    }
}
