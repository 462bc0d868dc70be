package org.cllmlab.experiments.run;

import org.cllmlab.core.data.Corpus;
import org.cllmlab.core.data.Dataset;
import org.cllmlab.core.data.EmbeddedCorpus;
import org.cllmlab.core.data.TokenizerKind;
import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.model.Preset;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.spi.CachePolicy;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.Hierarchy;
import org.cllmlab.core.spi.ThreadProvisioning;
import org.cllmlab.core.train.TrainingJob;
import org.cllmlab.experiments.cli.RunOptions;
import org.cllmlab.experiments.cli.UserError;
import org.cllmlab.strategies.Registries;

/**
 * Turns a run's options into a {@link TrainingJob.Plan}: resolves every name first (so a typo fails
 * before any data is generated), then loads the corpus and builds the dataset and the model.
 */
public final class RunAssembly {

    private static final Registries REGISTRIES = Registries.create();

    /** A resolved run. */
    /**
     * A resolved run. The corpus text itself is not kept (only the dataset's tokens are), so that it is
     * garbage once the dataset is built; {@link #corpus} describes it.
     */
    public record Assembled(TrainingJob.Plan plan, TrainingJob.Options options, Preset preset, CorpusInfo corpus,
                            TokenizerKind tokenizer) {
    }

    /** What the run trained on: the corpus's name, size in bytes and origin. */
    public record CorpusInfo(String name, long bytes, String source) {
    }

    private RunAssembly() {
    }

    public static Registries registries() {
        return REGISTRIES;
    }

    public static Assembled assemble(RunOptions o, MemoryLedger ledger) {
        Preset preset = Preset.parse(o.preset);
        ConcurrencyStrategy strategy = REGISTRIES.strategies().create(o.strategy);
        ThreadProvisioning threads = REGISTRIES.threads().create(o.threads);
        Hierarchy hierarchy = REGISTRIES.hierarchies().create(o.hierarchy);
        CachePolicy caches = REGISTRIES.caches().create(o.caches);
        TokenizerKind tokenizer = TokenizerKind.parse(o.tokenizer);
        Kernels kernels = kernels(o.kernels);
        if (o.workers <= 0) {
            throw new UserError("workers: " + o.workers + "; expected a positive integer");
        }
        TrainingJob.Options options = new TrainingJob.Options(o.steps, o.warmup, o.learningRate, o.clip,
                o.evalEvery, o.evalBatches, TrainingJob.BatchMode.parse(o.batchMode), o.seed,
                TrainingJob.Schedule.parse(o.lrSchedule));
        ModelConfig shape = shape(preset, o);
        Dataset data = dataset(o, tokenizer, shape, ledger);
        // The corpus text and the tokenizer's temporaries are garbage now. Collecting them before the
        // model's buffers are allocated lets those buffers reuse the same heap pages, so the resident
        // peak is the larger of the two phases rather than their sum.
        System.gc();
        ModelConfig config = shape.withVocab(data.vocabSize());
        Transformer model = new Transformer(config, kernels);
        TrainingJob.Plan plan = new TrainingJob.Plan(model, data, strategy, threads, hierarchy, caches, o.workers,
                ledger);
        return new Assembled(plan, options, preset,
                new CorpusInfo(data.corpusName(), data.corpusBytes(), data.corpusSource()), tokenizer);
    }

    private static Dataset dataset(RunOptions o, TokenizerKind tokenizer, ModelConfig shape, MemoryLedger ledger) {
        Corpus corpus = o.corpus != null ? Corpus.fromFile(o.corpus)
                : Corpus.embedded(datasetBytes(o.datasetBytes), o.seed);
        return Dataset.builder(corpus).tokenizer(tokenizer).seq(shape.seq()).batch(shape.batch())
                .seed(o.seed).ledger(ledger).build();
    }

    /**
     * The preset's shape with the run's overrides applied (vocabulary 1: the data fills it in).
     *
     * @throws IllegalArgumentException naming the field when the shape is invalid
     */
    public static ModelConfig shape(Preset preset, RunOptions o) {
        ModelConfig p = preset.config(1);
        return new ModelConfig(or(o.dModel, p.dModel()), or(o.layers, p.layers()), or(o.heads, p.heads()),
                or(o.dFf, p.dFf()), or(o.seq, p.seq()), or(o.batch, p.batch()), 1);
    }

    private static int or(Integer override, int preset) {
        return override != null ? override : preset;
    }

    static long datasetBytes(String text) {
        try {
            return EmbeddedCorpus.parseSize(text);
        } catch (IllegalArgumentException | org.cllmlab.core.data.DataException e) {
            throw new UserError("dataset-bytes: '" + text + "'; expected a positive size such as 8192, 8k or 24m");
        }
    }

    public static Kernels kernels(String name) {
        try {
            return Kernels.byName(name);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

}
