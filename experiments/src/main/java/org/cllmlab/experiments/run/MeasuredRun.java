package org.cllmlab.experiments.run;

import java.time.Duration;
import java.util.List;
import org.cllmlab.core.memory.ClassHistogram;
import org.cllmlab.core.memory.MemoryBreakdown;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.memory.MemorySample;
import org.cllmlab.core.memory.MemorySampler;
import org.cllmlab.core.results.MemoryReport;
import org.cllmlab.core.results.RunConfig;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.core.spi.ThreadProvisioning;
import org.cllmlab.core.train.TrainingJob;
import org.cllmlab.experiments.cli.RunOptions;

/**
 * One run with every figure measured: training, concurrency, and memory sampled throughout (the peak
 * is caught while the workers and their buffers are alive).
 */
public final class MeasuredRun {

    private static final String STACK_CHUNK = "jdk.internal.vm.StackChunk";

    private MeasuredRun() {
    }

    /**
     * Assembles and runs {@code options}, returning an {@code ok} result. Failures propagate: the
     * caller decides whether they become a failed result or an error message.
     */
    public static RunResult execute(RunOptions options, String runId, String suite, String label, int repetition,
                                    List<String> jvmOptions, TrainingJob.Listener listener) {
        MemoryLedger ledger = new MemoryLedger();
        try (MemorySampler sampler = new MemorySampler(ledger, MemorySampler.DEFAULT_INTERVAL)) {
            sampler.start();
            RunAssembly.Assembled a = RunAssembly.assemble(options, ledger);
            // Generating and tokenizing the corpus has a peak of its own; the report's peaks are training's.
            long setupPeak = sampler.resetPeaks();
            ClassHistogram.Entry[] stackChunks = new ClassHistogram.Entry[1];
            MemorySample[] alive = new MemorySample[1];
            TrainingJob.Outcome outcome = TrainingJob.run(a.plan(), a.options(), listener, () -> {
                alive[0] = sampler.sampleNow();
                sampler.stop();
                if (a.plan().threads().virtual()) {
                    // Parked virtual workers keep their frames in heap stack chunks: count them while
                    // the workers are alive. The histogram's full GC commits memory of its own, so it
                    // runs only after sampling has stopped.
                    stackChunks[0] = ClassHistogram.of(STACK_CHUNK);
                }
            });
            ThreadProvisioning threads = a.plan().threads();
            MemoryReport memory = MemoryBreakdown.builder().fromSampler(sampler)
                    .stackRequested(outcome.workerThreads(), threads.requestedStackBytes())
                    .workerThreads(outcome.workerThreads()).virtualWorkers(threads.virtual())
                    .spheres(outcome.spheres()).hierarchyBytes(outcome.hierarchyBytes())
                    .virtualStacks(stackChunks[0] == null ? 0 : stackChunks[0].bytes(),
                            stackChunks[0] == null ? 0 : stackChunks[0].instances())
                    .setupPeakResidentBytes(setupPeak)
                    .workersAlive(alive[0])
                    .datasetBytes(a.corpus().bytes()).build();
            var cfg = a.plan().model().config();
            RunConfig config = new RunConfig(label, a.preset().id(), cfg.dModel(), cfg.layers(), cfg.heads(),
                    cfg.dFf(), cfg.seq(), cfg.batch(), cfg.vocab(), a.corpus().source(), a.corpus().bytes(),
                    a.tokenizer().id(), options.strategy, options.threads, options.hierarchy, options.caches,
                    options.workers, options.batchMode, options.steps, options.warmup, repetition, options.seed,
                    jvmOptions);
            return new RunResult(RunResult.SCHEMA, runId, suite, RunResult.OK, null, config,
                    ProvenanceProbe.probe(options.seed, a.plan().model().kernels().name()), outcome.training(),
                    memory, outcome.contention());
        }
    }

    static Duration interval() {
        return MemorySampler.DEFAULT_INTERVAL;
    }
}
