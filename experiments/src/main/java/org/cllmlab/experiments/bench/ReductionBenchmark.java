package org.cllmlab.experiments.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.cllmlab.core.spi.GradientReduction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The lock-free strategies' gradient reduction on one thread: {@code buffers} gradient buffers of the
 * seed preset's parameter count (about 5.0 M floats) summed into one and zeroed. The memory traffic is
 * {@code 3 × buffers × params × 4} bytes (read, read-modify-write, zero) per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReductionBenchmark {

    /** Parameters of the seed preset with its 788-word vocabulary. */
    @Param({"4972032"})
    public int params;

    @Param({"2", "8"})
    public int buffers;

    private float[] out;
    private float[][] grads;
    private boolean[] touched;

    @Setup
    public void setUp() {
        out = new float[params];
        grads = new float[buffers][params];
        touched = new boolean[buffers];
        Arrays.fill(touched, true);
    }

    @Benchmark
    public float reduce() {
        for (float[] g : grads) {
            g[0] = 1f; // keep the buffers "written" so the loop cannot be skipped
        }
        GradientReduction.sumInto(out, grads, touched, 0, 0, params);
        return out[0];
    }
}
