package org.cllmlab.experiments.run;

import org.cllmlab.core.memory.ClassHistogram;
import org.cllmlab.core.memory.FullCollection;
import org.cllmlab.core.memory.NativeMemory;
import org.cllmlab.core.memory.MemoryBreakdown;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.memory.MemorySample;
import org.cllmlab.core.memory.MemorySampler;
import org.cllmlab.core.results.MachineFigures;
import org.cllmlab.core.results.MemoryReport;
import org.cllmlab.core.results.RunConfig;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.core.run.RunSpec;
import org.cllmlab.core.spi.ThreadProvisioning;
import org.cllmlab.core.train.TrainingJob;
import org.cllmlab.strategies.Registries;

/**
 * One run with every figure measured: training, concurrency, and memory sampled throughout (the peak
 * is caught while the workers and their buffers are alive).
 */
public final class MeasuredRun {

    private static final String STACK_CHUNK = "jdk.internal.vm.StackChunk";

    private MeasuredRun() {
    }

    /**
     * Assembles and runs {@code spec}, returning an {@code ok} result. Failures propagate: the caller
     * decides whether they become a failed result or an error message.
     */
    public static RunResult execute(RunSpec spec, Registries registries, String runId, String suite, int repetition,
                                    TrainingJob.Listener listener) {
        // The machine's ceilings, before anything of the run is allocated (the probe's arrays are garbage
        // by the time the set-up's collection runs). A run for memory figures alone needs none of them.
        MachineFigures machine = spec.schedule().measuresThroughput()
                ? MachineProbe.measure(Math.min(2, Runtime.getRuntime().availableProcessors())) : null;
        MemoryLedger ledger = new MemoryLedger();
        try (MemorySampler sampler = new MemorySampler(ledger, MemorySampler.DEFAULT_INTERVAL)) {
            sampler.start();
            RunAssembly.Assembled a = RunAssembly.assemble(spec, registries, ledger);
            // Generating and tokenizing the corpus has a peak of its own; the report's peaks are training's.
            long setupPeak = sampler.resetPeaks();
            ClassHistogram.Entry[] stackChunks = new ClassHistogram.Entry[1];
            MemorySample[] alive = new MemorySample[1];
            MemorySample[] collected = new MemorySample[1];
            FullCollection.Result[] collection = new FullCollection.Result[1];
            ThreadProvisioning threads = a.plan().concurrency().threads();
            TrainingJob.Outcome outcome = TrainingJob.run(a.plan(), listener, () -> {
                alive[0] = sampler.sampleNow();
                sampler.stop();
                if (threads.virtual()) {
                    // Parked virtual workers keep their frames in heap stack chunks: count them while
                    // the workers are alive. The histogram's full GC commits memory of its own, so it
                    // runs only after sampling has stopped.
                    stackChunks[0] = ClassHistogram.of(STACK_CHUNK);
                }
                // The stable figure: every buffer still alive, the GC's slack taken out.
                collection[0] = FullCollection.collect();
                collected[0] = MemorySample.take(ledger, NativeMemory.enabledByFlag(), MemorySample.Level.DETAILED);
            });
            java.util.function.UnaryOperator<MemoryBreakdown.Builder> common = b -> b
                    .stackRequested(outcome.workerThreads(), threads.requestedStackBytes())
                    .workerThreads(outcome.workerThreads()).virtualWorkers(threads.virtual())
                    .spheres(outcome.spheres()).hierarchyBytes(outcome.hierarchyBytes())
                    .virtualStacks(stackChunks[0] == null ? 0 : stackChunks[0].bytes(),
                            stackChunks[0] == null ? 0 : stackChunks[0].instances())
                    .datasetBytes(a.corpus().bytes());
            MemoryReport memory = common.apply(MemoryBreakdown.builder().fromSampler(sampler))
                    .setupPeakResidentBytes(setupPeak)
                    .workersAlive(alive[0]).build();
            MemoryReport after = common.apply(MemoryBreakdown.builder().fromSample(collected[0])).build();
            FullCollection.Result c = collection[0];
            memory = memory.withCollected(new MemoryReport.Collected(FullCollection.METHOD, after.peakResidentBytes(),
                    c.liveHeapBytes(), c.heapCommittedBytes(), c.settled(), after.breakdown()));
            RunConfig config = RunConfig.of(spec, repetition, a.plan().model().config(), a.corpus().source(),
                    a.corpus().bytes());
            return new RunResult(RunResult.SCHEMA, runId, suite, RunResult.OK, null, config,
                    ProvenanceProbe.probe(spec.seed(), spec.kernels()).withPlugins(registries.pluginUses(spec)),
                    outcome.training(), memory, outcome.contention(), machine);
        }
    }
}
