package org.cllmlab.experiments.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cllmlab.core.data.Batch;
import org.cllmlab.core.data.Corpus;
import org.cllmlab.core.data.Dataset;
import org.cllmlab.core.data.TokenizerKind;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.model.Preset;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.train.ParallelTrainer;
import org.cllmlab.core.run.BatchMode;
import org.cllmlab.core.run.RunSpec;
import org.cllmlab.strategies.Registries;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step's gradient (forward, backward, barrier, reduction; no optimizer) per strategy and
 * worker count, on a fixed global batch. The strategy is chosen by its registry name, as in specs.
 * Compare 1 and 2 workers of the same strategy in the same run to read its parallel speedup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xss1m", "--add-modules=jdk.incubator.vector"})
public class TrainingStepBenchmark {

    /** Every shipped strategy; {@code TrainingStepBenchmarkTest} keeps this list equal to the registry's. */
    @Param({"lock.global", "lock.per-layer", "lock.per-layer-inline", "lockfree.core-slots", "lockfree.thread-local"})
    public String strategy;

    @Param({"1", "2"})
    public int workers;

    @Param({"small"})
    public String preset;

    @Param({"vector"})
    public String kernels;

    private ParallelTrainer trainer;
    private List<WorkItem> items;
    private float scale;

    @Setup(Level.Trial)
    public void setUp() {
        Registries r = Registries.create();
        MemoryLedger ledger = new MemoryLedger();
        Preset p = Preset.parse(preset);
        Dataset data = Dataset.builder(Corpus.embedded(256 * 1024, 1)).tokenizer(TokenizerKind.WORD).seq(p.seq())
                .batch(p.batch()).seed(1).ledger(ledger).build();
        Transformer model = new Transformer(p.config(data.vocabSize()), r.kernels().create(kernels));
        float[] params = new float[model.layout().size()];
        model.initialize(params, 1);
        Batch batch = data.trainBatch(0);
        items = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            items.add(batch.item(i));
        }
        scale = 1f / items.size();
        trainer = new ParallelTrainer(model, params, r.resolve(new RunSpec.Parallelism(strategy, "platform-1m", "lazy",
                "right-sized", workers, BatchMode.GLOBAL)), ledger);
    }

    @Benchmark
    public double step() {
        return trainer.step(items, scale, null).meanLoss();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
    }
}
