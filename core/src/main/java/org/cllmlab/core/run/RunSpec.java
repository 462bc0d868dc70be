package org.cllmlab.core.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.cllmlab.core.data.EmbeddedCorpus;
import org.cllmlab.core.data.TokenizerKind;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.model.Preset;
import org.cllmlab.core.results.Phase;

/**
 * The one description of a run, from the command line or a suite's spec down to the trainer: immutable,
 * validated in its compact constructors, every error naming the field, the value and what is allowed
 * ({@link SpecException}). The names of registered components (strategy, threads, hierarchy, caches,
 * kernels) are checked against the registries by whoever resolves them, at the entry point, not here.
 * Its JSON form (flat, as spec files write it) is {@link RunSpecJson}.
 *
 * @param label       row label, e.g. {@code phase1}; it names result files
 * @param role        the run's part in the original's phases, or null for none
 * @param shape       the model's shape: a preset and its overrides
 * @param data        what it trains on
 * @param parallelism how many workers, and how they share the model
 * @param schedule    how many steps, how they are measured, and the optimizer's settings
 * @param kernels     dense-math kernels (a registered name)
 * @param seed        seed of the corpus, the parameters and the batches
 * @param repetitions how many times a suite repeats the run
 * @param jvmOptions  options of the run's own JVM in a suite, e.g. {@code ["-Xmx2g"]}
 * @param cpus        how many CPUs the run's JVM may use in a suite (pinned with taskset and
 *                    {@code -XX:ActiveProcessorCount}), or 0 for all of the machine's
 */
public record RunSpec(String label, Phase role, Shape shape, Data data, Parallelism parallelism, Schedule schedule,
                      String kernels, long seed, int repetitions, List<String> jvmOptions, int cpus) {

    public RunSpec {
        if (label == null || label.isBlank()) {
            throw new SpecException("label", "missing; a value is required");
        }
        if (!label.matches("[A-Za-z0-9._-]+")) {
            throw new SpecException("label", "'" + label
                    + "' is not allowed; expected letters, digits, '.', '_' or '-' (it names result files)");
        }
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(parallelism, "parallelism");
        Objects.requireNonNull(schedule, "schedule");
        name("kernels", kernels);
        if (repetitions < 1) {
            throw new SpecException("repetitions", repetitions + "; expected a positive integer");
        }
        if (cpus < 0) {
            throw new SpecException("cpus", cpus + "; expected 0 (all of the machine's) or a positive integer");
        }
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
        for (String opt : jvmOptions) {
            if (opt == null || opt.isBlank() || !opt.startsWith("-")) {
                throw new SpecException("jvmOptions", "'" + opt + "' is not a JVM option; expected options such as"
                        + " \"-Xmx2g\" or \"-Xss1m\"");
            }
        }
    }

    /** The model's shape with the data's vocabulary still unknown (1). */
    public ModelConfig modelShape() {
        return shape.config();
    }

    /** The preset the shape starts from. */
    public Preset preset() {
        return shape.preset();
    }

    /** Items in one optimizer step. */
    public int itemsPerStep() {
        return parallelism.batchMode().itemsPerStep(modelShape().batch(), parallelism.workers());
    }

    /** Short name of the data: the corpus file's name, or the embedded size such as {@code 8k} or {@code 24m}. */
    public String datasetName() {
        return data.name();
    }

    public RunSpec withLabel(String newLabel) {
        return new RunSpec(newLabel, role, shape, data, parallelism, schedule, kernels, seed, repetitions, jvmOptions,
                cpus);
    }

    public RunSpec withSchedule(Schedule newSchedule) {
        return new RunSpec(label, role, shape, data, parallelism, newSchedule, kernels, seed, repetitions, jvmOptions,
                cpus);
    }

    public RunSpec withParallelism(Parallelism newParallelism) {
        return new RunSpec(label, role, shape, data, newParallelism, schedule, kernels, seed, repetitions, jvmOptions,
                cpus);
    }

    public RunSpec withJvmOptions(List<String> options) {
        return new RunSpec(label, role, shape, data, parallelism, schedule, kernels, seed, repetitions, options, cpus);
    }

    static void name(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new SpecException(field, "missing; a value is required");
        }
    }

    static void atLeast(String field, int value, int min) {
        if (value < min) {
            throw new SpecException(field, value + "; expected "
                    + (min == 1 ? "a positive integer" : min == 0 ? "0 or more" : "at least " + min));
        }
    }

    /**
     * The model's shape: a preset, with any of its figures overridden (null keeps the preset's).
     */
    public record Shape(Preset preset, Integer dModel, Integer layers, Integer heads, Integer dFf, Integer seq,
                        Integer batch) {
        public Shape {
            if (preset == null) {
                throw new SpecException("preset", "missing; expected one of " + Identified.ids(Preset.class));
            }
            try {
                build(preset, dModel, layers, heads, dFf, seq, batch);
            } catch (SpecException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                String m = e.getMessage();
                int colon = m.indexOf(':');
                String field = colon > 0 ? m.substring(0, colon) : "shape";
                throw new SpecException(field, colon > 0 ? m.substring(colon + 2) : m);
            }
        }

        /** The preset's own shape. */
        public static Shape of(Preset preset) {
            return new Shape(preset, null, null, null, null, null, null);
        }

        /** The model configuration this shape describes, with vocabulary 1 (the data fills it in). */
        public ModelConfig config() {
            return build(preset, dModel, layers, heads, dFf, seq, batch);
        }

        private static ModelConfig build(Preset preset, Integer dModel, Integer layers, Integer heads, Integer dFf,
                                         Integer seq, Integer batch) {
            ModelConfig p = preset.config(1);
            return new ModelConfig(or(dModel, p.dModel()), or(layers, p.layers()), or(heads, p.heads()),
                    or(dFf, p.dFf()), or(seq, p.seq()), or(batch, p.batch()), 1);
        }

        private static int or(Integer override, int preset) {
            return override != null ? override : preset;
        }
    }

    /**
     * What a run trains on: a UTF-8 text file, or the embedded generated corpus of an exact size.
     *
     * @param corpus       the file's path (absolute once a spec is loaded), or null for the embedded corpus
     * @param datasetBytes size of the embedded corpus in bytes (ignored with a file)
     * @param tokenizer    word or byte
     */
    public record Data(String corpus, long datasetBytes, TokenizerKind tokenizer) {
        public Data {
            if (tokenizer == null) {
                throw new SpecException("tokenizer", "missing; expected one of " + Identified.ids(TokenizerKind.class));
            }
            if (corpus == null) {
                if (datasetBytes <= 0 || datasetBytes > EmbeddedCorpus.MAX_BYTES) {
                    throw new SpecException("datasetBytes", datasetBytes + "; expected a size from 1 byte to "
                            + EmbeddedCorpus.MAX_BYTES + " bytes (2 GiB), such as 8192, \"8k\" or \"24m\" (or a"
                            + " corpus file)");
                }
            } else if (corpus.isBlank()) {
                throw new SpecException("corpus", "'' is not a file; expected the path of a UTF-8 text file");
            }
        }

        /** The embedded corpus of {@code bytes} bytes, word tokenizer. */
        public static Data embedded(long bytes) {
            return new Data(null, bytes, TokenizerKind.WORD);
        }

        /** Short name: the corpus file's name, or the embedded size such as {@code 8k} or {@code 24m}. */
        public String name() {
            return corpus != null ? Path.of(corpus).getFileName().toString() : sizeName(datasetBytes);
        }

        /**
         * Fails unless the corpus file (if any) is a readable regular file; loaders call this once, before
         * any run starts.
         */
        public void checkReadable() {
            if (corpus != null) {
                Path file = Path.of(corpus);
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    throw new SpecException("corpus", "'" + corpus + "' is not a readable file; expected the path"
                            + " of a UTF-8 text file (relative paths are resolved against the spec file's folder),"
                            + " or no corpus and a datasetBytes size");
                }
            }
        }

        /** {@code 8k}, {@code 24m}, or the bytes with a {@code b}. */
        public static String sizeName(long bytes) {
            if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
                return bytes / (1 << 20) + "m";
            }
            if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
                return bytes / (1 << 10) + "k";
            }
            return bytes + "b";
        }
    }

    /**
     * The workers and how they share the model: one value for everything the engine resolves from the
     * registries.
     *
     * @param strategy  concurrency strategy (a registered name)
     * @param threads   thread provisioning (a registered name)
     * @param hierarchy sphere hierarchy (a registered name)
     * @param caches    cache policy (a registered name)
     * @param workers   worker threads, at least 1
     * @param batchMode how a step's items relate to the workers
     */
    public record Parallelism(String strategy, String threads, String hierarchy, String caches, int workers,
                              BatchMode batchMode) {
        public Parallelism {
            name("strategy", strategy);
            name("threads", threads);
            name("hierarchy", hierarchy);
            name("caches", caches);
            atLeast("workers", workers, 1);
            if (batchMode == null) {
                throw new SpecException("batchMode", "missing; expected one of " + Identified.ids(BatchMode.class));
            }
        }

        public Parallelism withWorkers(int newWorkers) {
            return new Parallelism(strategy, threads, hierarchy, caches, newWorkers, batchMode);
        }
    }

    /**
     * How long a run trains and how its throughput is measured, and the optimizer's settings.
     *
     * @param steps          measured optimizer steps, at least 1 (the least, when measuring for a time)
     * @param warmup         steps before measuring, 0 or more
     * @param warmupMax      the most warm-up steps: past {@code warmup}, warm-up goes on until the step
     *                       time settles (see {@code Steadiness}), but no further than this; equal to
     *                       {@code warmup} for a fixed warm-up
     * @param measureSeconds measure for at least this much wall time (and at least {@code steps} steps);
     *                       0 for exactly {@code steps} steps
     * @param learningRate   AdamW's peak learning rate
     * @param lrSchedule     the learning-rate schedule over all steps, warm-up included
     * @param clip           global gradient-norm clip, 0 for none
     * @param evalEvery      validation every this many steps, 0 for only before and after
     * @param evalBatches    validation batches per evaluation, 0 for none
     */
    public record Schedule(int steps, int warmup, int warmupMax, double measureSeconds, double learningRate,
                           LrSchedule lrSchedule, double clip, int evalEvery, int evalBatches) {
        public Schedule {
            atLeast("steps", steps, 1);
            atLeast("warmup", warmup, 0);
            if (warmupMax < warmup) {
                throw new SpecException("warmupMax", warmupMax + " is below warmup " + warmup
                        + "; expected at least warmup (equal for a fixed warm-up)");
            }
            if (!(measureSeconds >= 0) || Double.isInfinite(measureSeconds)) {
                throw new SpecException("measureSeconds", measureSeconds
                        + "; expected 0 (a fixed step count) or a positive number of seconds");
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new SpecException("learningRate", learningRate + "; expected a positive number");
            }
            if (lrSchedule == null) {
                throw new SpecException("lrSchedule", "missing; expected one of " + Identified.ids(LrSchedule.class));
            }
            if (!(clip >= 0) || Double.isInfinite(clip)) {
                throw new SpecException("clip", clip + "; expected 0 (off) or a positive number");
            }
            atLeast("evalEvery", evalEvery, 0);
            atLeast("evalBatches", evalBatches, 0);
        }

        /** Whether warm-up adapts to the step time (it goes on past {@code warmup} until it settles). */
        public boolean adaptiveWarmup() {
            return warmupMax > warmup;
        }

        /**
         * Whether the run measures throughput at all: not a single cold step (no warm-up, one step, no time),
         * which a suite runs for its memory figures alone, and whose tokens/s is the JIT's first pass.
         */
        public boolean measuresThroughput() {
            return measuresThroughput(warmup, warmupMax, steps, measureSeconds);
        }

        /** {@link #measuresThroughput()} of a schedule given by its figures (as a result file records them). */
        public static boolean measuresThroughput(int warmup, int warmupMax, int steps, double measureSeconds) {
            return warmup > 0 || warmupMax > 0 || steps > 1 || measureSeconds > 0;
        }

        /** Whether measuring goes on for a time rather than for a fixed count of steps. */
        public boolean timed() {
            return measureSeconds > 0;
        }

        /** The learning rate of step {@code step} (0-based) of {@code total}. */
        public double learningRate(int step, int total) {
            return lrSchedule.rate(learningRate, step, total);
        }

        public Schedule withSteps(int newSteps, int newWarmup) {
            return new Schedule(newSteps, newWarmup, adaptiveWarmup() ? Math.max(newWarmup, warmupMax) : newWarmup,
                    measureSeconds, learningRate, lrSchedule, clip, evalEvery, evalBatches);
        }
    }
}
