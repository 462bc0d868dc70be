package org.cllmlab.strategies.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ThreadProvisioningTest {

    @Test
    void platform8m_requestsEightMebibytesAndMakesDaemonPlatformThreads() throws Exception {
        PlatformThreads p = PlatformThreads.stack8m();
        assertThat(p.requestedStackBytes()).isEqualTo(8L << 20);
        Thread t = p.factory("test").newThread(() -> { });
        assertThat(t.isVirtual()).isFalse();
        assertThat(t.isDaemon()).isTrue();
        assertThat(t.getName()).isEqualTo("test-0");
    }

    @Test
    void platformDefault_reportsTheJvmsThreadStackSize() {
        assertThat(PlatformThreads.jvmDefault().requestedStackBytes())
                .isEqualTo(PlatformThreads.defaultStackBytes()).isPositive();
    }

    @Test
    void virtual_makesVirtualThreadsThatReserveNoNativeStack() throws Exception {
        VirtualThreads v = new VirtualThreads();
        assertThat(v.requestedStackBytes()).isZero();
        AtomicBoolean ran = new AtomicBoolean();
        Thread t = v.factory("v").newThread(() -> ran.set(Thread.currentThread().isVirtual()));
        t.start();
        t.join();
        assertThat(ran).isTrue();
    }

    @Test
    void platform1m_deepRecursionThatNeeds8m_overflowsOnlyOn1m() throws Exception {
        // The requested size is really applied: a recursion that fits in 8 MiB overflows 1 MiB.
        assertThat(overflows(PlatformThreads.stack1m(), 40_000)).isTrue();
        assertThat(overflows(PlatformThreads.stack8m(), 40_000)).isFalse();
    }

    private static boolean overflows(PlatformThreads p, int depth) throws InterruptedException {
        AtomicBoolean overflow = new AtomicBoolean();
        Thread t = p.factory("deep").newThread(() -> {
            try {
                recurse(depth);
            } catch (StackOverflowError e) {
                overflow.set(true);
            }
        });
        t.start();
        t.join();
        return overflow.get();
    }

    private static long recurse(int n) {
        long[] pad = new long[4];
        pad[n & 3] = n;
        return n == 0 ? pad[0] : recurse(n - 1) + pad[n & 3];
    }
}
