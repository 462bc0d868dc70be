package org.cllmlab.experiments.run;

import org.cllmlab.core.data.Corpus;
import org.cllmlab.core.data.Dataset;
import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.memory.FullCollection;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.run.RunSpec;
import org.cllmlab.core.train.Concurrency;
import org.cllmlab.core.train.JitWarmup;
import org.cllmlab.core.train.ThreadLimits;
import org.cllmlab.core.train.TrainingJob;
import org.cllmlab.strategies.Registries;

/**
 * Turns a {@link RunSpec} into a {@link TrainingJob.Plan}: resolves every name first (so a typo fails
 * before any data is generated), then loads the corpus and builds the dataset and the model.
 */
public final class RunAssembly {

    /**
     * A resolved run. The corpus text itself is not kept (only the dataset's tokens are), so that it is
     * garbage once the dataset is built; {@link #corpus} describes it.
     */
    public record Assembled(TrainingJob.Plan plan, CorpusInfo corpus) {
        public RunSpec spec() {
            return plan.spec();
        }
    }

    /** What the run trained on: the corpus's name, size in bytes and origin. */
    public record CorpusInfo(String name, long bytes, String source) {
    }

    private RunAssembly() {
    }

    /**
     * Resolves and builds {@code spec} with {@code registries}.
     *
     * @throws org.cllmlab.strategies.Registry.UnknownNameException for a name no registry has
     * @throws org.cllmlab.core.data.DataException                  for a corpus that cannot be trained on
     */
    public static Assembled assemble(RunSpec spec, Registries registries, MemoryLedger ledger) {
        registries.check(spec);
        Kernels kernels = registries.kernels().create(spec.kernels());
        Concurrency concurrency = registries.resolve(spec.parallelism());
        if (!concurrency.threads().virtual()) {
            // Before the data is generated: a run that cannot start its threads says so at once.
            ThreadLimits.check(concurrency.workers(), concurrency.threads().requestedStackBytes());
        }
        ModelConfig shape = spec.modelShape();
        Dataset data = dataset(spec, shape, ledger);
        ModelConfig config = shape.withVocab(data.vocabSize());
        Transformer model = new Transformer(config, kernels);
        if (JitWarmup.needed(concurrency.workers())) {
            JitWarmup.run(model);
        }
        // The corpus text, the tokenizer's temporaries and the warm-up's passes are garbage now. Collected,
        // with the free heap given back, before the model's buffers are allocated: those land on fresh pages,
        // so that what is resident is what the run uses, whatever came before.
        FullCollection.shrink();
        TrainingJob.Plan plan = new TrainingJob.Plan(spec, model, data, concurrency, ledger);
        return new Assembled(plan, new CorpusInfo(data.corpusName(), data.corpusBytes(), data.corpusSource()));
    }

    private static Dataset dataset(RunSpec spec, ModelConfig shape, MemoryLedger ledger) {
        RunSpec.Data d = spec.data();
        Corpus corpus = d.corpus() != null ? Corpus.fromFile(java.nio.file.Path.of(d.corpus()))
                : Corpus.embedded(d.datasetBytes(), spec.seed());
        return Dataset.builder(corpus).tokenizer(d.tokenizer()).seq(shape.seq()).batch(shape.batch())
                .seed(spec.seed()).ledger(ledger).build();
    }
}
