package org.cllmlab.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.memory.MemoryLedger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A forward and backward pass allocates nothing once the JIT has compiled it: every buffer lives in the
 * activation cache or the kernels' scratch pool, and the Vector API's vectors stay in registers (a vector
 * the JIT cannot keep there is boxed, an allocation per call). Measured with HotSpot's per-thread
 * allocation counter around the passes.
 */
class TrainingPassAllocationTest {

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @ParameterizedTest(name = "{0} kernels, groups of {1}")
    @CsvSource({"vector, 1", "blocked, 1", "vector, 3"})
    void forwardAndBackward_afterWarmUp_allocateNothing(String kernels, int group) {
        ModelConfig config = Preset.SMALL.config(97);
        Transformer model = new Transformer(config, Kernels.byName(kernels));
        float[] params = new float[model.layout().size()];
        model.initialize(params, 5);
        float[] grads = new float[params.length];
        GradientSink sink = GradientSink.of(grads);
        SplittableRandom rnd = new SplittableRandom(5);
        int[] tokens = new int[group * config.seq()];
        int[] targets = new int[group * config.seq()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rnd.nextInt(config.vocab());
            targets[i] = rnd.nextInt(config.vocab());
        }
        WorkItem[] items = new WorkItem[group];
        for (int i = 0; i < group; i++) {
            items[i] = new WorkItem(i, tokens, targets, i * config.seq(), config.seq());
        }
        float[] losses = new float[group];
        ActivationCache cache = model.newCache(group * config.seq(), new MemoryLedger());
        Runnable pass = group == 1
                ? () -> model.forward(params, tokens, targets, 0, config.seq(), cache)
                : () -> model.forward(params, items, group, cache, losses);
        long tid = Thread.currentThread().threadId();

        // Warm up until 50 passes in a row allocate nothing (the JIT has compiled them), for at most a minute.
        long deadline = System.nanoTime() + 60_000_000_000L;
        int quiet = 0;
        while (quiet < 50 && System.nanoTime() < deadline) {
            long before = MX.getThreadAllocatedBytes(tid);
            pass.run();
            model.backward(params, cache, 1f, sink);
            quiet = MX.getThreadAllocatedBytes(tid) == before ? quiet + 1 : 0;
        }

        long before = MX.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100; i++) {
            pass.run();
            model.backward(params, cache, 1f, sink);
        }
        long allocated = MX.getThreadAllocatedBytes(tid) - before;

        // Any allocation per pass would be at least 16 bytes (the smallest object) each time, 1,600 in all; a
        // late JIT event (a deoptimisation re-running a loop in the interpreter) may still cost a few bytes
        // once, which says nothing about the steady state.
        assertThat(allocated).as("bytes allocated by 100 warm passes with %s kernels, groups of %d", kernels, group)
                .isLessThan(16 * 100);
    }
}
