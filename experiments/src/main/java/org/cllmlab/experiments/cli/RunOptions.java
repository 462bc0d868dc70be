package org.cllmlab.experiments.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cllmlab.core.data.DataException;
import org.cllmlab.core.data.EmbeddedCorpus;
import org.cllmlab.core.data.TokenizerKind;
import org.cllmlab.core.model.Preset;
import org.cllmlab.core.run.BatchMode;
import org.cllmlab.core.run.LrSchedule;
import org.cllmlab.core.run.RunSpec;
import org.cllmlab.core.run.SpecException;
import picocli.CommandLine.Option;

/**
 * The flags that describe one training run, shared by {@code train} and {@code memory}. The values live
 * here only while the command line is parsed; {@link #toSpec} turns them into the run's {@link RunSpec},
 * which is all that the layers below see.
 */
public final class RunOptions {

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "small",
            description = "Model shape: tiny, small or seed (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200",
            description = "Measured optimizer steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
            description = "Steps before measuring throughput (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-max", paramLabel = "N",
            description = "Warm up past --warmup until the step time settles (the JIT compiler has gone quiet), "
                    + "but for at most N steps in all (default: --warmup, a fixed warm-up).")
    Integer warmupMax;

    @Option(names = "--measure-seconds", paramLabel = "S", defaultValue = "0",
            description = "Measure for at least S seconds of wall time, and at least --steps steps "
                    + "(default: ${DEFAULT-VALUE}, exactly --steps steps).")
    double measureSeconds;

    @Option(names = "--corpus", paramLabel = "FILE",
            description = "A UTF-8 text file to train on, instead of the embedded generated corpus.")
    Path corpus;

    @Option(names = "--dataset-bytes", paramLabel = "N", defaultValue = "1m",
            description = "Size of the embedded corpus, exactly, in bytes; k/m suffixes allowed, e.g. 8k, 24m; "
                    + "at most 2047m (default: ${DEFAULT-VALUE}).")
    String datasetBytes;

    @Option(names = "--tokenizer", paramLabel = "KIND", defaultValue = "word",
            description = "word or byte (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the corpus, the parameters and the batches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--strategy", paramLabel = "NAME", defaultValue = "lockfree.thread-local",
            description = "Concurrency strategy; ./lab list shows them (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--workers", paramLabel = "W", defaultValue = "1",
            description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--threads", paramLabel = "VARIANT", defaultValue = "platform-default",
            description = "platform-8m, platform-1m, platform-default or virtual (default: ${DEFAULT-VALUE}).")
    String threads;

    @Option(names = "--hierarchy", paramLabel = "NAME", defaultValue = "lazy",
            description = "eager (the full 157-sphere tree) or lazy (default: ${DEFAULT-VALUE}).")
    String hierarchy;

    @Option(names = "--caches", paramLabel = "POLICY", defaultValue = "right-sized",
            description = "oversized (batch x seq per cache) or right-sized (default: ${DEFAULT-VALUE}).")
    String caches;

    @Option(names = "--batch-mode", paramLabel = "MODE", defaultValue = "global",
            description = "global (the preset's fixed global batch), per-worker (a whole batch per worker) or "
                    + "per-worker-item (one item per worker per step) (default: ${DEFAULT-VALUE}).")
    String batchMode;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "3e-3",
            description = "AdamW learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--lr-schedule", paramLabel = "NAME", defaultValue = "constant",
            description = "constant, or cosine: a linear warm-up over the first 5 percent of the steps, then a "
                    + "cosine decay to a tenth (default: ${DEFAULT-VALUE}).")
    String lrSchedule;

    @Option(names = "--clip", paramLabel = "NORM", defaultValue = "1.0",
            description = "Global gradient-norm clip, 0 for none (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "20",
            description = "Validation every N steps; 0 for only before and after (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--eval-batches", paramLabel = "N", defaultValue = "4",
            description = "Validation batches per evaluation (default: ${DEFAULT-VALUE}).")
    int evalBatches;

    @Option(names = "--kernels", paramLabel = "NAME", defaultValue = "vector",
            description = "Dense-math kernels: vector (the fastest, on the Vector API; needs "
                    + "--add-modules jdk.incubator.vector, which ./lab passes), blocked (pure Java, about half as "
                    + "fast) or reference (simple, the test oracle) (default: ${DEFAULT-VALUE}).")
    String kernels;

    /** The flag that sets each spec field, for messages about the command line. */
    private static final Map<String, String> FLAGS = Map.ofEntries(Map.entry("preset", "--preset"),
            Map.entry("steps", "--steps"), Map.entry("warmup", "--warmup"), Map.entry("warmupMax", "--warmup-max"),
            Map.entry("measureSeconds", "--measure-seconds"), Map.entry("corpus", "--corpus"),
            Map.entry("datasetBytes", "--dataset-bytes"), Map.entry("tokenizer", "--tokenizer"),
            Map.entry("strategy", "--strategy"), Map.entry("workers", "--workers"), Map.entry("threads", "--threads"),
            Map.entry("hierarchy", "--hierarchy"), Map.entry("caches", "--caches"),
            Map.entry("batchMode", "--batch-mode"), Map.entry("learningRate", "--lr"),
            Map.entry("lrSchedule", "--lr-schedule"), Map.entry("clip", "--clip"),
            Map.entry("evalEvery", "--eval-every"), Map.entry("evalBatches", "--eval-batches"),
            Map.entry("kernels", "--kernels"));

    /**
     * The run these flags describe, labelled {@code label}.
     *
     * @throws UserError one line naming the flag, the value and what it takes
     */
    public RunSpec toSpec(String label) {
        try {
            RunSpec.Shape shape = RunSpec.Shape.of(flag("--preset", () -> Preset.parse(preset)));
            TokenizerKind tok = flag("--tokenizer", () -> parseTokenizer(tokenizer));
            RunSpec.Data data = corpus != null
                    ? new RunSpec.Data(corpus.toAbsolutePath().normalize().toString(), 0, tok)
                    : new RunSpec.Data(null, datasetBytes(datasetBytes), tok);
            RunSpec.Parallelism parallelism = new RunSpec.Parallelism(strategy, threads, hierarchy, caches, workers,
                    flag("--batch-mode", () -> BatchMode.parse(batchMode)));
            RunSpec.Schedule schedule = new RunSpec.Schedule(steps, warmup, warmupMax == null ? warmup : warmupMax,
                    measureSeconds, learningRate, flag("--lr-schedule", () -> LrSchedule.parse(lrSchedule)), clip,
                    evalEvery, evalBatches);
            return new RunSpec(label, null, shape, data, parallelism, schedule, kernels, seed, 1, List.of(), 0);
        } catch (SpecException e) {
            throw new UserError(FLAGS.getOrDefault(e.field(), e.field()) + ": " + e.detail(), e);
        }
    }

    private static TokenizerKind parseTokenizer(String id) {
        try {
            return TokenizerKind.parse(id);
        } catch (DataException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static <T> T flag(String flag, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            int colon = m.indexOf(": ");
            throw new UserError(flag + ": " + (colon > 0 ? m.substring(colon + 2) : m), e);
        }
    }

    /** The embedded corpus's size from the flag's text, with the limit in the message when it is out of range. */
    static long datasetBytes(String text) {
        try {
            return EmbeddedCorpus.parseSize(text);
        } catch (IllegalArgumentException | DataException e) {
            throw new UserError("--dataset-bytes: '" + text + "'; expected a positive size of at most "
                    + EmbeddedCorpus.MAX_BYTES + " bytes (about 2047m), such as 8192, 8k or 24m");
        }
    }
}
