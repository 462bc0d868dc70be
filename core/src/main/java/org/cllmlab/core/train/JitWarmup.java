package org.cllmlab.core.train;

import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.model.ActivationCache;
import org.cllmlab.core.model.GradientSink;
import org.cllmlab.core.model.Transformer;

/**
 * Has the JIT compiler compile the passes' code before the workers start, on one thread, with the run's own
 * model shape and kernels (a shape of its own would leave the compiled code profiled on the wrong loop
 * lengths and branch frequencies). Otherwise, when more workers
 * are busy than there are cores, the compiler threads get a core's share among dozens of runnable workers,
 * the first steps run interpreted (the Vector API allocates for every operation there) and stay so for tens
 * of seconds: a cold step of 63 lock-free workers on two cores took 25 s, of which 44% in the row
 * operations. What the warm-up allocates is garbage before the run's buffers are made; no figure of the run
 * includes its time.
 */
public final class JitWarmup {

    /** Passes at least, and at most. */
    static final int MIN_PASSES = 3;
    static final int MAX_PASSES = 5_000;
    /** Time at most. */
    static final long MAX_NANOS = 3_000_000_000L;
    /** The compiler is done when its total time has not moved for this long. */
    static final long QUIET_NANOS = 300_000_000L;

    private JitWarmup() {
    }

    /** Whether a run needs it: more workers than the cores that could serve both them and the compiler. */
    public static boolean needed(int workers) {
        return workers > Runtime.getRuntime().availableProcessors();
    }

    /**
     * Runs forward and backward passes of a model like {@code model} (its own parameters and cache, garbage
     * afterwards) until the compiler goes quiet; returns how many.
     */
    public static int run(Transformer model) {
        Transformer twin = new Transformer(model.config(), model.kernels());
        MemoryLedger scratch = new MemoryLedger();
        float[] params = new float[twin.layout().size()];
        float[] grads = new float[params.length];
        twin.initialize(params, 1);
        int seq = twin.config().seq();
        ActivationCache cache = twin.newCache(seq, scratch);
        int[] tokens = new int[seq + 1];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 31 + 7) % twin.config().vocab();
        }
        int[] targets = java.util.Arrays.copyOfRange(tokens, 1, seq + 1);
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        boolean watch = jit != null && jit.isCompilationTimeMonitoringSupported();
        long deadline = System.nanoTime() + MAX_NANOS;
        long lastJit = watch ? jit.getTotalCompilationTime() : 0;
        long quietSince = System.nanoTime();
        int passes = 0;
        while (passes < MAX_PASSES && System.nanoTime() < deadline) {
            twin.forward(params, tokens, targets, 0, seq, cache);
            twin.backward(params, cache, 1f, GradientSink.of(grads));
            passes++;
            if (watch) {
                // Done once the compiler has had nothing new to finish for a while.
                long now = jit.getTotalCompilationTime();
                if (now != lastJit) {
                    lastJit = now;
                    quietSince = System.nanoTime();
                } else if (passes >= MIN_PASSES && System.nanoTime() - quietSince >= QUIET_NANOS) {
                    break;
                }
            }
        }
        return passes;
    }
}
