package org.cllmlab.experiments.bench;

import java.util.concurrent.TimeUnit;
import org.cllmlab.core.kernel.Kernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The matrix products of one {@code seed}-preset item ({@link SeedProducts}), on one thread.
 * {@code ./lab efficiency} times the same products interleaved with the machine's FMA peak.
 *
 * <p>Scores are GFLOP/s: each method declares {@code @OperationsPerInvocation(2·m·n·k / 1000)} and the
 * unit is ops/µs, and {@code (flops/1000) per µs = 10⁹ flops per s}. (The divisor rounds by at most one
 * part in 10⁴.)
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemmBenchmark {

    static final int L = SeedProducts.L;
    static final int D = SeedProducts.D;
    static final int FF = SeedProducts.FF;
    static final int VOCAB = SeedProducts.VOCAB;
    static final int HD = SeedProducts.HD;
    static final int G = SeedProducts.G;

    @Param({"reference", "blocked", "vector"})
    public String kernel;

    private Kernels k;
    private SeedProducts.Operands o;

    @Setup
    public void setUp() {
        k = Kernels.byName(kernel);
        o = new SeedProducts.Operands(1);
    }

    /** {@link SeedProducts#LINEAR_FORWARD}. */
    @Benchmark
    @OperationsPerInvocation(2 * L * FF * D / 1000)
    public float[] linearForward() {
        return SeedProducts.LINEAR_FORWARD.run(k, o);
    }

    /** {@link SeedProducts#LINEAR_BACKWARD_INPUT}. */
    @Benchmark
    @OperationsPerInvocation(2 * L * FF * D / 1000)
    public float[] linearBackwardInput() {
        return SeedProducts.LINEAR_BACKWARD_INPUT.run(k, o);
    }

    /** {@link SeedProducts#LINEAR_BACKWARD_WEIGHT}. */
    @Benchmark
    @OperationsPerInvocation(2 * L * FF * D / 1000)
    public float[] linearBackwardWeight() {
        return SeedProducts.LINEAR_BACKWARD_WEIGHT.run(k, o);
    }

    /** {@link SeedProducts#ATTENTION_SCORES}. */
    @Benchmark
    @OperationsPerInvocation(2 * L * L * HD / 1000)
    public float[] attentionScores() {
        return SeedProducts.ATTENTION_SCORES.run(k, o);
    }

    /** {@link SeedProducts#ATTENTION_VALUES}. */
    @Benchmark
    @OperationsPerInvocation(2 * L * L * HD / 1000)
    public float[] attentionValues() {
        return SeedProducts.ATTENTION_VALUES.run(k, o);
    }

    /** {@link SeedProducts#HEAD}. */
    @Benchmark
    @OperationsPerInvocation(2 * L * VOCAB * D / 1000)
    public float[] head() {
        return SeedProducts.HEAD.run(k, o);
    }

    /** {@link SeedProducts#GROUP_FORWARD}. */
    @Benchmark
    @OperationsPerInvocation(2 * G * FF * D / 1000)
    public float[] groupForward() {
        return SeedProducts.GROUP_FORWARD.run(k, o);
    }

    /** {@link SeedProducts#GROUP_BACKWARD_INPUT}. */
    @Benchmark
    @OperationsPerInvocation(2 * G * FF * D / 1000)
    public float[] groupBackwardInput() {
        return SeedProducts.GROUP_BACKWARD_INPUT.run(k, o);
    }

    /** {@link SeedProducts#GROUP_BACKWARD_WEIGHT}. */
    @Benchmark
    @OperationsPerInvocation(2 * G * FF * D / 1000)
    public float[] groupBackwardWeight() {
        return SeedProducts.GROUP_BACKWARD_WEIGHT.run(k, o);
    }
}
