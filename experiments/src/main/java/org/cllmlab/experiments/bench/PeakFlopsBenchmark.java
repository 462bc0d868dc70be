package org.cllmlab.experiments.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.cllmlab.core.kernel.FmaPeak;
import org.cllmlab.core.kernel.VectorFmaLoop;

/**
 * The machine's float multiply-add ceiling as seen from Java, for quoting kernel speed as a share of peak.
 * Scores are GFLOP/s (ops/µs with {@code flops/1000} operations per invocation; an FMA counts as 2 FLOP).
 *
 * <ul>
 *   <li>{@code scalar}: 12 independent {@code Math.fma} chains in registers — enough to cover FMA latency
 *       (4–5 cycles) times two FMA ports, so it runs at the scalar issue limit.</li>
 *   <li>{@code vector}: the same arithmetic over a 128-float L1-resident array that C2 auto-vectorises: 16
 *       independent SIMD chains of four dependent FMAs per load/store, so the FMA units, not memory, limit it.
 *       This is the practical ceiling for pure-Java (SuperWord) code such as {@code BlockedKernels}.</li>
 *   <li>{@code registers}: the machine's true FMA ceiling: 12 independent Vector API {@code FloatVector} FMA
 *       chains ({@code SPECIES_PREFERRED}, 8 floats on AVX2) kept in registers, with no memory traffic at
 *       all. Kernels on the Vector API ({@code VectorKernels}) are quoted against this.</li>
 *   <li>{@code *TwoThreads}: the same with {@code @Threads(2)} (the score is the sum over threads): the
 *       two-core ceiling that parallel training can at best approach.</li>
 * </ul>
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PeakFlopsBenchmark {

    static final int SCALAR_ITERS = 1_000_000;
    static final int SCALAR_CHAINS = FmaPeak.CHAINS;
    static final int VECTOR_WIDTH = 128;
    static final int VECTOR_ROUNDS = 10_000;
    static final int VECTOR_DEPTH = 4;

    /**
     * The two factors, kept in fields so the JIT cannot fold the chains. Each chain adds their product to
     * itself ({@code a = m·c + a}, the accumulator as the addend; see {@link VectorFmaLoop#chains}), so the
     * values stay bounded (a few tenths over a call).
     */
    public float mul = 0.999999f;
    public float add = 1e-7f;
    private final float[] acc = new float[VECTOR_WIDTH];

    @Benchmark
    @OperationsPerInvocation(2 * SCALAR_CHAINS * SCALAR_ITERS / 1000)
    public float scalar() {
        return scalarChains(mul, add);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(2 * SCALAR_CHAINS * SCALAR_ITERS / 1000)
    public float scalarTwoThreads() {
        return scalarChains(mul, add);
    }

    @Benchmark
    @OperationsPerInvocation(2 * VECTOR_DEPTH * VECTOR_WIDTH * VECTOR_ROUNDS / 1000)
    public float vector() {
        return vectorChains(acc, mul, add);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(2 * VECTOR_DEPTH * VECTOR_WIDTH * VECTOR_ROUNDS / 1000)
    public float vectorTwoThreads() {
        return vectorChains(acc, mul, add);
    }

    static final int REGISTER_CHAINS = FmaPeak.CHAINS;
    /** Lane-FMAs per chain per invocation; the loop runs this divided by the lane count (4, 8 or 16 divide it). */
    static final int REGISTER_LANE_ITERS = 8_000_000;

    @Benchmark
    @OperationsPerInvocation(2 * REGISTER_CHAINS * (REGISTER_LANE_ITERS / 1000))
    public float registers() {
        return registerChains(mul, add);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(2 * REGISTER_CHAINS * (REGISTER_LANE_ITERS / 1000))
    public float registersTwoThreads() {
        return registerChains(mul, add);
    }

    /**
     * 12 independent chains of dependent vector FMAs, all in registers: {@code 12 · REGISTER_LANE_ITERS}
     * lane-FMAs. The loop is the one {@link FmaPeak} measures in-process ({@link VectorFmaLoop#chains}).
     */
    static float registerChains(float m, float c) {
        return VectorFmaLoop.chains(REGISTER_LANE_ITERS, m, c);
    }

    private static float scalarChains(float m, float c) {
        return FmaPeak.scalarChains(SCALAR_ITERS, m, c);
    }

    private static float vectorChains(float[] acc, float m, float c) {
        for (int r = 0; r < VECTOR_ROUNDS; r++) {
            for (int j = 0; j < VECTOR_WIDTH; j++) {
                acc[j] = Math.fma(Math.fma(Math.fma(Math.fma(acc[j], m, c), m, c), m, c), m, c);
            }
        }
        return acc[0];
    }
}
