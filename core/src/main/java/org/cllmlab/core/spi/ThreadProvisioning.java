package org.cllmlab.core.spi;

import java.util.concurrent.ThreadFactory;

/** How worker threads are made: platform threads with a given stack size, or virtual threads. */
public interface ThreadProvisioning {

    String name();

    String description();

    /** A factory for worker threads named {@code prefix-N}. */
    ThreadFactory factory(String prefix);

    /** Whether the threads are virtual (their stacks live on the heap as chunks, not in native stacks). */
    boolean virtual();

    /**
     * The stack size each platform thread reserves, in bytes: the size it asks for, or the JVM's
     * default ({@code -Xss}/{@code -XX:ThreadStackSize}) when it asks for none; 0 for virtual threads,
     * whose stacks are heap objects.
     */
    long requestedStackBytes();
}
