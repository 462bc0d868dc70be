package org.cllmlab.strategies.threads;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ThreadFactory;
import org.cllmlab.core.spi.ThreadProvisioning;

/**
 * Platform (OS) threads with an explicit stack size ({@code platform-8m}, {@code platform-1m}), or the
 * JVM's default ({@code platform-default}). The stack size is reserved address space; the kernel backs
 * only the pages a thread touches, which the memory probes show as committed and resident.
 */
public final class PlatformThreads implements ThreadProvisioning {

    private static final long MIB = 1024 * 1024;

    private final String name;
    private final long stackBytes;

    private PlatformThreads(String name, long stackBytes) {
        this.name = name;
        this.stackBytes = stackBytes;
    }

    public static PlatformThreads stack8m() {
        return new PlatformThreads("platform-8m", 8 * MIB);
    }

    public static PlatformThreads stack1m() {
        return new PlatformThreads("platform-1m", MIB);
    }

    public static PlatformThreads jvmDefault() {
        return new PlatformThreads("platform-default", 0);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return stackBytes == 0
                ? "platform threads with the JVM's default stack size (" + defaultStackBytes() / 1024 + " KiB here)"
                : "platform threads with " + stackBytes / MIB + " MiB stacks";
    }

    @Override
    public ThreadFactory factory(String prefix) {
        Thread.Builder.OfPlatform builder = Thread.ofPlatform().name(prefix + "-", 0).daemon(true);
        if (stackBytes > 0) {
            builder = builder.stackSize(stackBytes);
        }
        return builder.factory();
    }

    @Override
    public boolean virtual() {
        return false;
    }

    @Override
    public long requestedStackBytes() {
        return stackBytes > 0 ? stackBytes : defaultStackBytes();
    }

    /** The JVM's {@code ThreadStackSize} (set by {@code -Xss}), in bytes. */
    static long defaultStackBytes() {
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return Long.parseLong(bean.getVMOption("ThreadStackSize").getValue()) * 1024;
        } catch (RuntimeException e) {
            return MIB;
        }
    }
}
