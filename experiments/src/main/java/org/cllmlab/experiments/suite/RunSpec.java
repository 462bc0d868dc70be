package org.cllmlab.experiments.suite;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.cllmlab.core.data.DataException;
import org.cllmlab.core.data.EmbeddedCorpus;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.model.Preset;
import org.cllmlab.experiments.cli.RunOptions;
import org.cllmlab.experiments.run.RunAssembly;
import org.cllmlab.strategies.Registries;
import org.cllmlab.strategies.Registry;

/**
 * Every knob of one run, fully resolved (the reference spec supplies what a suite leaves out). The
 * compact constructor validates everything that can be checked without starting a JVM; each error
 * names the field, the value and what is allowed.
 *
 * @param label        row label, e.g. {@code phase1}
 * @param preset       {@code tiny}, {@code small} or {@code seed}
 * @param dModel       model width override, null for the preset's
 * @param layers       blocks override
 * @param heads        attention heads override
 * @param dFf          MLP width override
 * @param seq          tokens per item override
 * @param batch        items per global batch override
 * @param corpus       a UTF-8 text file to train on (absolute once loaded), or null for the embedded corpus
 * @param datasetBytes size of the embedded corpus (a number, or a string such as {@code "24m"})
 * @param tokenizer    {@code word} or {@code byte}
 * @param strategy     concurrency strategy name (registry)
 * @param threads      thread provisioning name (registry)
 * @param hierarchy    hierarchy name (registry)
 * @param caches       cache policy name (registry)
 * @param workers      worker threads, at least 1
 * @param batchMode    {@code global} or {@code per-worker}
 * @param steps        measured steps, at least 1
 * @param warmup       steps before measuring, 0 or more
 * @param repetitions  how many times the run is repeated, at least 1
 * @param seed         seed of corpus, parameters and batches
 * @param learningRate AdamW learning rate
 * @param lrSchedule   {@code constant} or {@code cosine}
 * @param clip         global gradient-norm clip, 0 for none
 * @param evalEvery    validation every N steps, 0 for before and after only
 * @param evalBatches  validation batches per evaluation, 0 for none
 * @param kernels      dense-math kernels
 * @param jvmOptions   options of the run's JVM, e.g. {@code ["-Xmx2g"]}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunSpec(String label, String preset,
                      @JsonAlias("d_model") Integer dModel, Integer layers, Integer heads,
                      @JsonAlias("d_ff") Integer dFf, Integer seq, Integer batch,
                      String corpus, @JsonDeserialize(using = RunSpec.SizeDeserializer.class) long datasetBytes,
                      String tokenizer, String strategy, String threads, String hierarchy, String caches,
                      int workers, String batchMode, int steps, int warmup, int repetitions, long seed,
                      double learningRate, String lrSchedule, double clip, int evalEvery, int evalBatches, String kernels,
                      List<String> jvmOptions) {

    /** The JSON field names a spec may use (record components and their aliases). */
    public static final Set<String> FIELDS = fields();

    public RunSpec {
        require("label", label);
        if (!label.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("label: '" + label
                    + "' is not allowed; expected letters, digits, '.', '_' or '-' (it names result files)");
        }
        require("preset", preset);
        Preset p = Preset.parse(preset);
        Registries r = RunAssembly.registries();
        known(r.strategies(), strategy);
        known(r.threads(), threads);
        known(r.hierarchies(), hierarchy);
        known(r.caches(), caches);
        oneOf("tokenizer", tokenizer, "word", "byte");
        oneOf("batchMode", batchMode, "global", "per-worker");
        oneOf("kernels", kernels, org.cllmlab.core.kernel.Kernels.NAMES.toArray(String[]::new));
        oneOf("lrSchedule", lrSchedule, "constant", "cosine");
        atLeast("workers", workers, 1);
        atLeast("steps", steps, 1);
        atLeast("warmup", warmup, 0);
        atLeast("repetitions", repetitions, 1);
        atLeast("evalEvery", evalEvery, 0);
        atLeast("evalBatches", evalBatches, 0);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate: " + learningRate + "; expected a positive number");
        }
        if (!(clip >= 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clip: " + clip + "; expected 0 (off) or a positive number");
        }
        if (corpus == null) {
            if (datasetBytes <= 0) {
                throw new IllegalArgumentException("datasetBytes: " + datasetBytes
                        + "; expected a positive size such as 8192, \"8k\" or \"24m\" (or a corpus file)");
            }
        } else {
            Path file = Path.of(corpus);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException("corpus: '" + corpus
                        + "' is not a readable file; expected the path of a UTF-8 text file (relative paths are"
                        + " resolved against the spec file's folder), or no corpus and a datasetBytes size");
            }
        }
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
        for (String opt : jvmOptions) {
            if (opt == null || opt.isBlank() || !opt.startsWith("-")) {
                throw new IllegalArgumentException("jvmOptions: '" + opt + "' is not a JVM option; expected options"
                        + " such as \"-Xmx2g\" or \"-Xss1m\"");
            }
        }
        RunAssembly.shape(p, overrides(dModel, layers, heads, dFf, seq, batch));
    }

    /** The options of {@link org.cllmlab.experiments.run.MeasuredRun} for this spec. */
    public RunOptions toRunOptions() {
        RunOptions o = overrides(dModel, layers, heads, dFf, seq, batch);
        o.preset = preset;
        o.steps = steps;
        o.warmup = warmup;
        o.corpus = corpus == null ? null : Path.of(corpus);
        o.datasetBytes = Long.toString(datasetBytes);
        o.tokenizer = tokenizer;
        o.seed = seed;
        o.strategy = strategy;
        o.workers = workers;
        o.threads = threads;
        o.hierarchy = hierarchy;
        o.caches = caches;
        o.batchMode = batchMode;
        o.learningRate = learningRate;
        o.lrSchedule = lrSchedule;
        o.clip = clip;
        o.evalEvery = evalEvery;
        o.evalBatches = evalBatches;
        o.kernels = kernels;
        return o;
    }

    /** The model shape this spec asks for (vocabulary 1 until the data is known). */
    public ModelConfig shape() {
        return RunAssembly.shape(Preset.parse(preset), toRunOptions());
    }

    /** Short name of the data: the corpus file's name, or the embedded size such as {@code 8k} or {@code 24m}. */
    public String datasetName() {
        if (corpus != null) {
            return Path.of(corpus).getFileName().toString();
        }
        return sizeName(datasetBytes);
    }

    static String sizeName(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + "m";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return bytes / (1 << 10) + "k";
        }
        return bytes + "b";
    }

    private static RunOptions overrides(Integer dModel, Integer layers, Integer heads, Integer dFf, Integer seq,
                                        Integer batch) {
        RunOptions o = new RunOptions();
        o.dModel = dModel;
        o.layers = layers;
        o.heads = heads;
        o.dFf = dFf;
        o.seq = seq;
        o.batch = batch;
        return o;
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": missing; a value is required");
        }
    }

    private static void known(Registry<?> registry, String name) {
        if (name == null || !registry.contains(name)) {
            String field = switch (registry.kind()) {
                case "strategy" -> "strategy";
                case "threads" -> "threads";
                case "hierarchy" -> "hierarchy";
                default -> "caches";
            };
            throw new IllegalArgumentException(field + ": '" + name + "' is unknown; expected one of "
                    + String.join(", ", registry.names()));
        }
    }

    private static void oneOf(String field, String value, String... allowed) {
        if (value == null || !Arrays.asList(allowed).contains(value)) {
            throw new IllegalArgumentException(field + ": '" + value + "' is unknown; expected one of "
                    + String.join(", ", allowed));
        }
    }

    private static void atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + ": " + value + "; expected "
                    + (min == 1 ? "a positive integer" : min == 0 ? "0 or more" : "at least " + min));
        }
    }

    private static Set<String> fields() {
        Set<String> names = new TreeSet<>();
        for (RecordComponent c : RunSpec.class.getRecordComponents()) {
            names.add(c.getName());
        }
        names.add("d_model");
        names.add("d_ff");
        return java.util.Collections.unmodifiableSet(names);
    }

    /** Reads a size given as a number of bytes or as text such as {@code "8k"} or {@code "24m"}. */
    static final class SizeDeserializer extends JsonDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken().isNumeric()) {
                return p.getLongValue();
            }
            String text = p.getValueAsString();
            try {
                return EmbeddedCorpus.parseSize(text);
            } catch (DataException e) {
                throw new IllegalArgumentException("datasetBytes: '" + text
                        + "' is not a size; expected bytes such as 8192, \"8k\" or \"24m\"");
            }
        }
    }
}
