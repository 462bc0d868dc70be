package org.cllmlab.core.results;

import java.util.List;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.run.RunSpec;

/**
 * What a run was asked to do, echoed into its result: its {@link RunSpec}, flattened, with the shape
 * the data resolved (the vocabulary). Made in one place, {@link #of}.
 *
 * @param label          the run's row label
 * @param role           its part in the original's phases (null for none)
 * @param preset         model preset id
 * @param dModel         model width actually used (after overrides)
 * @param layers         blocks
 * @param heads          attention heads
 * @param dFf            MLP width
 * @param seq            tokens per item
 * @param batch          items per global batch (per worker in {@code per-worker} mode)
 * @param vocab          vocabulary size from the data (0 when the run failed before the data was read)
 * @param corpus         corpus description: the embedded generator, or a file path
 * @param datasetBytes   corpus size in bytes
 * @param tokenizer      {@code word} or {@code byte}
 * @param strategy       concurrency strategy name
 * @param threads        thread provisioning name
 * @param hierarchy      hierarchy name
 * @param caches         cache policy name
 * @param workers        worker count
 * @param batchMode      {@code global}, {@code per-worker} or {@code per-worker-item}
 * @param steps          measured steps asked for (the least, when measuring for a time)
 * @param warmup         warm-up steps asked for (the least, with an adaptive warm-up)
 * @param repetition     1-based repetition index
 * @param seed           seed
 * @param jvmOptions     extra JVM options of the run
 * @param warmupMax      the most warm-up steps (equal to warmup for a fixed warm-up)
 * @param measureSeconds wall time measured for at least (0: a fixed step count)
 * @param cpus           CPUs the run's JVM was limited to (0: all)
 */
public record RunConfig(String label, Phase role, String preset, int dModel, int layers, int heads, int dFf, int seq,
                        int batch, int vocab, String corpus, long datasetBytes, String tokenizer, String strategy,
                        String threads, String hierarchy, String caches, int workers, String batchMode, int steps,
                        int warmup, int repetition, long seed, List<String> jvmOptions, int warmupMax,
                        double measureSeconds, int cpus) {
    public RunConfig {
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
    }

    /** Whether the run measured throughput: not a single cold step run for its memory figures alone. */
    public boolean measuresThroughput() {
        return RunSpec.Schedule.measuresThroughput(warmup, warmupMax, steps, measureSeconds);
    }

    /**
     * The config of {@code spec}'s repetition {@code repetition}.
     *
     * @param model        the shape with the data's vocabulary, or null when the run never read its data
     * @param corpus       how the corpus is described (its origin), or null to derive it from the spec
     * @param datasetBytes the corpus's size in bytes, or -1 to take the spec's
     */
    public static RunConfig of(RunSpec spec, int repetition, ModelConfig model, String corpus, long datasetBytes) {
        ModelConfig m = model;
        int vocab = model == null ? 0 : model.vocab();
        if (m == null) {
            try {
                m = spec.modelShape();
            } catch (RuntimeException e) {
                m = null;
            }
        }
        RunSpec.Data d = spec.data();
        String corpusText = corpus != null ? corpus
                : d.corpus() == null ? "embedded generator, seed " + spec.seed() : "file " + d.corpus();
        long bytes = datasetBytes >= 0 ? datasetBytes : d.corpus() == null ? d.datasetBytes() : 0;
        RunSpec.Parallelism p = spec.parallelism();
        RunSpec.Schedule s = spec.schedule();
        return new RunConfig(spec.label(), spec.role(), spec.preset().id(), m == null ? 0 : m.dModel(),
                m == null ? 0 : m.layers(), m == null ? 0 : m.heads(), m == null ? 0 : m.dFf(), m == null ? 0 : m.seq(),
                m == null ? 0 : m.batch(), vocab, corpusText, bytes, d.tokenizer().id(), p.strategy(), p.threads(),
                p.hierarchy(), p.caches(), p.workers(), p.batchMode().id(), s.steps(), s.warmup(), repetition,
                spec.seed(), spec.jvmOptions(), s.warmupMax(), s.measureSeconds(), spec.cpus());
    }
}
