package org.cllmlab.core.results;

import java.util.List;

/**
 * What a run was asked to do, echoed into its result.
 *
 * @param label       the run's row label (a phase name such as {@code phase1}, or a sweep label)
 * @param preset      model preset id
 * @param dModel      model width actually used (after overrides)
 * @param layers      blocks
 * @param heads       attention heads
 * @param dFf         MLP width
 * @param seq         tokens per item
 * @param batch       items per global batch (per worker in {@code per-worker} mode)
 * @param vocab       vocabulary size from the data
 * @param corpus      corpus description: {@code embedded} or a file path
 * @param datasetBytes corpus size in bytes
 * @param tokenizer   {@code word} or {@code byte}
 * @param strategy    concurrency strategy name
 * @param threads     thread provisioning name
 * @param hierarchy   hierarchy name
 * @param caches      cache policy name
 * @param workers     worker count
 * @param batchMode   {@code global} or {@code per-worker}
 * @param steps       measured steps
 * @param warmup      warm-up steps
 * @param repetition  1-based repetition index
 * @param seed        seed
 * @param jvmOptions  extra JVM options of the run
 */
public record RunConfig(String label, String preset, int dModel, int layers, int heads, int dFf, int seq, int batch,
                        int vocab, String corpus, long datasetBytes, String tokenizer, String strategy,
                        String threads, String hierarchy, String caches, int workers, String batchMode, int steps,
                        int warmup, int repetition, long seed, List<String> jvmOptions) {
    public RunConfig {
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
    }
}
