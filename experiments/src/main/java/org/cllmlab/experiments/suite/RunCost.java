package org.cllmlab.experiments.suite;

import java.util.ArrayList;
import java.util.List;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.run.RunSpec;

/**
 * How long each run of a suite will take, for the progress bar's estimate: a prior from the run's shape
 * (the model FLOPs of its steps at a nominal rate, its data, its warm-up and measuring time), corrected
 * as runs finish by the median ratio of what they took to what was expected.
 */
final class RunCost {

    /** A nominal single-core rate for the prior, in FLOP/s; the correction makes up for this machine's. */
    static final double NOMINAL_FLOPS = 40e9;
    /** Starting a JVM, loading the classes, reading the request, writing the result. */
    static final double FIXED_SECONDS = 2.5;
    /** Generating and tokenizing the embedded corpus, bytes per second. */
    static final double CORPUS_BYTES_PER_SECOND = 10e6;

    private final int cores;
    private final List<Double> ratios = new ArrayList<>();

    RunCost(int cores) {
        this.cores = Math.max(1, cores);
    }

    /** The prior, in seconds. */
    double prior(RunSpec s) {
        ModelConfig m = s.modelShape();
        RunSpec.Schedule c = s.schedule();
        int workers = s.parallelism().workers();
        int cpus = s.cpus() > 0 ? Math.min(s.cpus(), cores) : cores;
        boolean serial = s.parallelism().strategy().startsWith("lock.");
        double parallel = serial ? 1 : Math.min(workers, cpus);
        double tokens = (double) s.itemsPerStep() * m.seq();
        double step = tokens * flopsPerToken(m) / (NOMINAL_FLOPS * parallel);
        double warmup = (c.warmup() + c.warmupMax()) / 2.0;
        double measure = Math.max(c.steps() * step, c.measureSeconds());
        double eval = c.evalBatches() * 2.0 * m.batch() * m.seq() * flopsPerToken(m) / 3 / NOMINAL_FLOPS;
        double data = s.data().corpus() == null ? s.data().datasetBytes() / CORPUS_BYTES_PER_SECOND : 1;
        return FIXED_SECONDS + data + warmup * step + measure + eval;
    }

    /** The expected seconds of {@code s}, the prior times the correction so far. */
    double expected(RunSpec s) {
        return prior(s) * correction();
    }

    /** Learns from a run that took {@code seconds}. */
    void observe(RunSpec s, double seconds) {
        double p = prior(s);
        if (p > 0 && seconds > 0) {
            ratios.add(seconds / p);
        }
    }

    double correction() {
        if (ratios.isEmpty()) {
            return 1;
        }
        List<Double> sorted = new ArrayList<>(ratios);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * An estimate for the prior: matrix products forward and backward (6 FLOPs per parameter of a product and
     * token, the tied head at a vocabulary of 800 when the data has not set it), plus causal attention's
     * two products (half the positions on average, forward and backward).
     */
    static double flopsPerToken(ModelConfig m) {
        double d = m.dModel();
        double products = m.layers() * (4 * d * d + 2 * d * m.dFf()) + d * (m.vocab() > 1 ? m.vocab() : 800);
        double attention = m.layers() * 2 * 2 * (m.seq() / 2.0) * d * 3;
        return 6 * products + attention;
    }
}
