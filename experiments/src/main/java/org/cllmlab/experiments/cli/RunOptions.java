package org.cllmlab.experiments.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that describe one training run, shared by {@code train} and {@code memory}. */
public final class RunOptions {

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "small",
            description = "Model shape: tiny, small or seed (default: ${DEFAULT-VALUE}).")
    public String preset;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200",
            description = "Measured optimizer steps (default: ${DEFAULT-VALUE}).")
    public int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
            description = "Steps before measuring throughput (default: ${DEFAULT-VALUE}).")
    public int warmup;

    @Option(names = "--corpus", paramLabel = "FILE",
            description = "A UTF-8 text file to train on, instead of the embedded generated corpus.")
    public Path corpus;

    @Option(names = "--dataset-bytes", paramLabel = "N", defaultValue = "1m",
            description = "Size of the embedded corpus, exactly, in bytes; k/m suffixes allowed, e.g. 8k, 24m "
                    + "(default: ${DEFAULT-VALUE}).")
    public String datasetBytes;

    @Option(names = "--tokenizer", paramLabel = "KIND", defaultValue = "word",
            description = "word or byte (default: ${DEFAULT-VALUE}).")
    public String tokenizer;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the corpus, the parameters and the batches (default: ${DEFAULT-VALUE}).")
    public long seed;

    @Option(names = "--strategy", paramLabel = "NAME", defaultValue = "lockfree.thread-local",
            description = "Concurrency strategy; ./lab list shows them (default: ${DEFAULT-VALUE}).")
    public String strategy;

    @Option(names = "--workers", paramLabel = "W", defaultValue = "1",
            description = "Worker threads (default: ${DEFAULT-VALUE}).")
    public int workers;

    @Option(names = "--threads", paramLabel = "VARIANT", defaultValue = "platform-default",
            description = "platform-8m, platform-1m, platform-default or virtual (default: ${DEFAULT-VALUE}).")
    public String threads;

    @Option(names = "--hierarchy", paramLabel = "NAME", defaultValue = "lazy",
            description = "eager (the full 157-sphere tree) or lazy (default: ${DEFAULT-VALUE}).")
    public String hierarchy;

    @Option(names = "--caches", paramLabel = "POLICY", defaultValue = "right-sized",
            description = "oversized (batch x seq per cache) or right-sized (default: ${DEFAULT-VALUE}).")
    public String caches;

    @Option(names = "--batch-mode", paramLabel = "MODE", defaultValue = "global",
            description = "global (fixed global batch) or per-worker (a batch per worker) (default: ${DEFAULT-VALUE}).")
    public String batchMode;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "3e-3",
            description = "AdamW learning rate (default: ${DEFAULT-VALUE}).")
    public double learningRate;

    @Option(names = "--lr-schedule", paramLabel = "NAME", defaultValue = "constant",
            description = "constant, or cosine: linear warm-up over 5% of the steps, then cosine decay to a tenth "
                    + "(default: ${DEFAULT-VALUE}).")
    public String lrSchedule;

    @Option(names = "--clip", paramLabel = "NORM", defaultValue = "1.0",
            description = "Global gradient-norm clip, 0 for none (default: ${DEFAULT-VALUE}).")
    public double clip;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "20",
            description = "Validation every N steps; 0 for only before and after (default: ${DEFAULT-VALUE}).")
    public int evalEvery;

    @Option(names = "--eval-batches", paramLabel = "N", defaultValue = "4",
            description = "Validation batches per evaluation (default: ${DEFAULT-VALUE}).")
    public int evalBatches;

    @Option(names = "--kernels", paramLabel = "NAME", defaultValue = "vector",
            description = "Dense-math kernels: vector (the fastest, on the Vector API; needs "
                    + "--add-modules jdk.incubator.vector, which ./lab passes), blocked (pure Java, about half as "
                    + "fast) or reference (simple, the test oracle) (default: ${DEFAULT-VALUE}).")
    public String kernels;

    /**
     * Model shape overrides, set by experiment specs (no flags): null keeps the preset's value.
     * {@link org.cllmlab.experiments.run.RunAssembly#shape} applies them.
     */
    public Integer dModel;
    public Integer layers;
    public Integer heads;
    public Integer dFf;
    public Integer seq;
    public Integer batch;
}
