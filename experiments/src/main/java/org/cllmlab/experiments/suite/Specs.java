package org.cllmlab.experiments.suite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.cllmlab.core.run.RunSpec;
import org.cllmlab.core.run.RunSpecJson;
import org.cllmlab.core.run.SpecException;
import org.cllmlab.experiments.cli.UserError;
import org.cllmlab.strategies.Registries;

/**
 * Loads suites: the built-in ones by name, or a JSON file (a suite, or a single run spec). Everything is
 * resolved and validated up front, before any run starts, strictly (no coercion of a string into a number
 * or of a fraction into a whole number); every error names the place, the field, the value and what is
 * allowed, with the line and column where the value was written.
 */
public final class Specs {

    /** The suites shipped as resources under {@code suites/}. */
    public static final List<String> BUILT_IN = List.of("phases", "scaling", "stacks");

    /** Fields that make a JSON object a suite rather than one run spec. */
    private static final List<String> SUITE_ONLY = List.of("runs", "name", "description", "defaults", "datasets",
            "matrix", "slurm", "phases");

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** The reference spec: every run field's default, and per-preset adjustments of the quick defaults. */
    record Reference(ObjectNode run, Map<String, ObjectNode> presets) {
    }

    /**
     * Command-line overrides, applied last; null leaves the suite's value.
     *
     * @param preset      model preset
     * @param steps       measured steps
     * @param repetitions repetitions of each run
     */
    public record Overrides(String preset, Integer steps, Integer repetitions) {
        public static final Overrides NONE = new Overrides(null, null, null);
    }

    /**
     * A suite ready to run.
     *
     * @param name     the suite's name
     * @param runs     every run, in the order they run (repetitions interleaved: every run's first
     *                 repetition, then every run's second, ...)
     * @param resolved the suite as written plus every resolved run spec (written to {@code suite.json})
     * @param spec     the suite as written
     */
    public record Suite(String name, List<PlannedRun> runs, ObjectNode resolved, SuiteSpec spec) {
        /** The preset of the runs if they share one, else {@code mixed}. */
        public String preset() {
            Set<String> p = runs.stream().map(r -> r.spec().preset().id())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            return p.size() == 1 ? p.iterator().next() : "mixed";
        }
    }

    private Specs() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A built-in suite's name or a JSON file's path. */
    public static Suite load(String suiteOrFile, Overrides cli, Registries registries) {
        if (BUILT_IN.contains(suiteOrFile)) {
            return builtIn(suiteOrFile, cli, registries);
        }
        Path file = Path.of(suiteOrFile);
        if (!Files.isRegularFile(file)) {
            throw new UserError("suite: '" + suiteOrFile + "' is neither a built-in suite nor a spec file; expected one of "
                    + String.join(", ", BUILT_IN) + ", or the path of a JSON spec");
        }
        return fromFile(file, cli, registries);
    }

    public static Suite builtIn(String name, Overrides cli, Registries registries) {
        String where = "built-in suite '" + name + "'";
        try (InputStream in = Specs.class.getResourceAsStream("/suites/" + name + ".json")) {
            if (in == null) {
                throw new UserError("suite: '" + name + "' is unknown; expected one of " + String.join(", ", BUILT_IN));
            }
            LocatedJson doc = parse(where, in.readAllBytes());
            return resolve(where, doc, suite(where, doc, (ObjectNode) doc.root()), Path.of("").toAbsolutePath(), cli,
                    registries);
        } catch (IOException e) {
            throw new UserError(where + ": " + e.getMessage(), e);
        }
    }

    public static Suite fromFile(Path file, Overrides cli, Registries registries) {
        String where = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError(where + ": cannot read: " + e.getMessage(), e);
        }
        LocatedJson doc = parse(where, bytes);
        ObjectNode tree = (ObjectNode) doc.root();
        SuiteSpec suite;
        if (SUITE_ONLY.stream().anyMatch(tree::has)) {
            suite = suite(where, doc, tree);
        } else {
            String stem = file.getFileName().toString().replaceFirst("\\.json$", "").replaceAll("[^A-Za-z0-9._-]", "_");
            ObjectNode run = tree;
            if (!run.has("label")) {
                run = run.deepCopy();
                run.put("label", stem);
            }
            try {
                SuiteSpec.checkLayer("run", run, Set.of());
                suite = new SuiteSpec(stem, "one run spec", null, null, null, null, List.of(run), null, null);
            } catch (SpecException e) {
                throw new UserError(where + ": " + located(e, doc).replaceFirst("^run[.:] ?", ""), e);
            }
        }
        return resolve(where, doc, suite, file.toAbsolutePath().getParent(), cli, registries);
    }

    private static LocatedJson parse(String where, byte[] bytes) {
        LocatedJson doc;
        try {
            doc = LocatedJson.parse(bytes);
        } catch (JsonProcessingException e) {
            throw new UserError(where + ": malformed JSON" + LocatedJson.format(e.getLocation()) + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UserError(where + ": " + e.getMessage(), e);
        }
        if (!doc.root().isObject()) {
            throw new UserError(where + ": expected a JSON object (a suite with \"runs\", or one run spec)");
        }
        return doc;
    }

    private static SuiteSpec suite(String where, LocatedJson doc, ObjectNode tree) {
        try {
            return SuiteSpec.fromJson(tree);
        } catch (SpecException e) {
            throw new UserError(where + ": " + located(e, doc), e);
        }
    }

    /**
     * The error's message with the place of the value at fault: right after the name of an unknown field
     * ("unknown field 'x' at line 2, column 2; ..."), else at the end ("...; expected a whole number (at
     * line 3, column 9)").
     */
    static String located(SpecException e, LocatedJson doc) {
        return located(e.getMessage(), doc.at(e.node()));
    }

    static String located(String m, String at) {
        if (at.isEmpty()) {
            return m;
        }
        java.util.regex.Matcher unknown = java.util.regex.Pattern.compile("unknown field '[^']*'").matcher(m);
        if (unknown.find()) {
            return m.substring(0, unknown.end()) + at + m.substring(unknown.end());
        }
        return m + " (" + at.strip() + ")";
    }

    static Reference reference() {
        try (InputStream in = Specs.class.getResourceAsStream("/specs/reference.json")) {
            return MAPPER.readValue(in, Reference.class);
        } catch (IOException e) {
            throw new IllegalStateException("the reference spec (specs/reference.json) is unreadable: " + e.getMessage(), e);
        }
    }

    /** The reference spec's defaults as a run spec (label {@code run}). */
    public static RunSpec referenceSpec() {
        return RunSpecJson.fromJson(reference().run().deepCopy());
    }

    /**
     * Expands a suite into its runs, validating every run spec (and, once per distinct list, its JVM
     * options) and every registered name against {@code registries}.
     */
    static Suite resolve(String where, LocatedJson doc, SuiteSpec suite, Path base, Overrides cli,
                         Registries registries) {
        Reference ref = reference();
        ObjectNode defaults = suite.defaults() == null ? MAPPER.createObjectNode() : suite.defaults().deepCopy();
        if (suite.repetitions() != null) {
            defaults.put("repetitions", suite.repetitions());
        }
        ObjectNode cliLayer = MAPPER.createObjectNode();
        if (cli.preset() != null) {
            cliLayer.put("preset", cli.preset());
        }
        if (cli.steps() != null) {
            cliLayer.put("steps", cli.steps());
        }
        if (cli.repetitions() != null) {
            cliLayer.put("repetitions", cli.repetitions());
        }
        List<ObjectNode> datasets = suite.datasets().isEmpty() ? Collections.singletonList(null) : suite.datasets();
        List<Map<String, JsonNode>> combos = combinations(suite.matrix(), registries);
        List<List<PlannedRun>> byRepetition = new ArrayList<>();
        ArrayNode resolvedRuns = MAPPER.createArrayNode();
        Map<String, String> seen = new LinkedHashMap<>();
        for (int i = 0; i < suite.runs().size(); i++) {
            ObjectNode run = suite.runs().get(i).deepCopy();
            Set<String> only = new java.util.HashSet<>();
            if (run.has(SuiteSpec.ONLY_DATASETS)) {
                run.remove(SuiteSpec.ONLY_DATASETS).forEach(n -> only.add(n.asText()));
            }
            for (ObjectNode dataset : datasets) {
                if (!only.isEmpty() && (dataset == null || !only.contains(dataset.path("name").asText("")))) {
                    continue;
                }
                for (Map<String, JsonNode> combo : combos) {
                    ObjectNode comboNode = MAPPER.createObjectNode();
                    combo.forEach(comboNode::set);
                    ObjectNode datasetLayer = dataset == null ? null : dataset.deepCopy();
                    String datasetName = datasetLayer != null && datasetLayer.has("name")
                            ? datasetLayer.remove("name").asText() : null;
                    List<ObjectNode> layers = new ArrayList<>(List.of(defaults, run));
                    if (datasetLayer != null) {
                        layers.add(datasetLayer);
                    }
                    layers.add(comboNode);
                    layers.add(cliLayer);
                    ObjectNode merged = ref.run().deepCopy();
                    String preset = presetOf(merged, layers);
                    if (preset != null && ref.presets().containsKey(preset)) {
                        merged.setAll(ref.presets().get(preset));
                    }
                    for (ObjectNode layer : layers) {
                        merged.setAll(canonical(layer));
                    }
                    String label = merged.path("label").asText("?");
                    String context = where + ", runs[" + i + "] (" + label + (combo.isEmpty() ? "" : " " + combo.values())
                            + (datasetName == null ? "" : ", dataset " + datasetName) + ")";
                    RunSpec spec = toSpec(context, doc, merged, base, registries);
                    try {
                        JvmOptionsCheck.check(spec.jvmOptions());
                    } catch (IllegalArgumentException e) {
                        throw new UserError(context + ": " + located(e.getMessage(), doc.at(merged.get("jvmOptions"))), e);
                    }
                    String data = datasetName != null ? datasetName : spec.datasetName();
                    List<String> parts = new ArrayList<>();
                    parts.add(spec.label());
                    combo.forEach((k, v) -> {
                        if ("cpus".equals(k)) {
                            parts.add(v.asText() + "cpu");
                        } else if (!"workers".equals(k)) {
                            parts.add(v.asText());
                        }
                    });
                    parts.add(spec.preset().id());
                    parts.add(data);
                    parts.add("w" + spec.parallelism().workers());
                    String group = String.join("-", parts).replaceAll("[^A-Za-z0-9._-]", "_");
                    resolvedRuns.add(RunSpecJson.toJson(spec));
                    for (int rep = 1; rep <= spec.repetitions(); rep++) {
                        String runId = group + "-r" + rep;
                        String before = seen.put(runId, context);
                        if (before != null) {
                            throw new UserError(context + ": run id '" + runId + "' is also the id of " + before
                                    + "; expected distinct labels");
                        }
                        while (byRepetition.size() < rep) {
                            byRepetition.add(new ArrayList<>());
                        }
                        byRepetition.get(rep - 1).add(new PlannedRun(runId, suite.name(), group, data, rep, spec));
                    }
                }
            }
        }
        // Interleaved: a slow minute of a shared machine then hits every configuration alike. Within a
        // repetition the runs of one dataset go together, so that the runs a verdict pairs ran side by side.
        List<PlannedRun> runs = new ArrayList<>();
        for (List<PlannedRun> repetition : byRepetition) {
            List<String> datasetOrder = repetition.stream().map(PlannedRun::dataset).distinct().toList();
            repetition.stream().sorted(java.util.Comparator.comparingInt(r -> datasetOrder.indexOf(r.dataset())))
                    .forEach(runs::add);
        }
        ObjectNode resolved = MAPPER.createObjectNode();
        resolved.set("suite", suiteJson(suite));
        resolved.set("overrides", cliLayer);
        resolved.set("reference", MAPPER.valueToTree(ref));
        resolved.set("runs", resolvedRuns);
        return new Suite(suite.name(), List.copyOf(runs), resolved, suite);
    }

    private static ObjectNode suiteJson(SuiteSpec s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", s.name());
        n.put("description", s.description());
        n.set("defaults", s.defaults());
        ArrayNode d = n.putArray("datasets");
        s.datasets().forEach(d::add);
        ObjectNode m = n.putObject("matrix");
        s.matrix().forEach((k, v) -> {
            ArrayNode a = m.putArray(k);
            v.forEach(a::add);
        });
        if (s.repetitions() != null) {
            n.put("repetitions", s.repetitions());
        }
        ArrayNode r = n.putArray("runs");
        s.runs().forEach(r::add);
        if (s.slurm() != null) {
            n.set("slurm", s.slurm());
        }
        if (s.phases() != null) {
            n.set("phases", s.phases());
        }
        return n;
    }

    /** The layer with the snake-case aliases ({@code d_model}, {@code d_ff}) renamed to the canonical names. */
    private static ObjectNode canonical(ObjectNode layer) {
        if (!layer.has("d_model") && !layer.has("d_ff")) {
            return layer;
        }
        ObjectNode c = layer.deepCopy();
        if (c.has("d_model")) {
            c.set("dModel", c.remove("d_model"));
        }
        if (c.has("d_ff")) {
            c.set("dFf", c.remove("d_ff"));
        }
        return c;
    }

    private static String presetOf(ObjectNode reference, List<ObjectNode> layers) {
        String preset = reference.path("preset").asText(null);
        for (ObjectNode l : layers) {
            if (l.hasNonNull("preset")) {
                preset = l.get("preset").asText();
            }
        }
        return preset;
    }

    /** One merged run: strictly read, its files checked, its names looked up; errors say where. */
    static RunSpec toSpec(String context, LocatedJson doc, ObjectNode merged, Path base, Registries registries) {
        JsonNode corpus = merged.get("corpus");
        if (corpus != null && corpus.isTextual()) {
            Path p = Path.of(corpus.asText());
            TextNode resolved = new TextNode(base.resolve(p).toAbsolutePath().normalize().toString());
            merged.set("corpus", resolved);
            doc = doc.alias(resolved, corpus);
        }
        try {
            RunSpec spec = RunSpecJson.fromJson(merged);
            spec.data().checkReadable();
            registries.check(spec);
            return spec;
        } catch (SpecException e) {
            throw new UserError(context + ": " + located(e, doc), e);
        } catch (IllegalArgumentException e) {
            // an unknown registered name: "strategy: 'x' is unknown; expected one of ..."
            String m = String.valueOf(e.getMessage());
            int colon = m.indexOf(": ");
            String field = colon > 0 ? m.substring(0, colon) : "";
            throw new UserError(context + ": " + located(m, doc.at(merged.get(field))), e);
        }
    }

    /** Every combination of the matrix's values, in order; {@code "*"} expands to a registry's names. */
    static List<Map<String, JsonNode>> combinations(Map<String, List<JsonNode>> matrix, Registries registries) {
        List<Map<String, JsonNode>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<JsonNode>> axis : matrix.entrySet()) {
            List<JsonNode> values = expand(axis.getKey(), axis.getValue(), registries);
            List<Map<String, JsonNode>> next = new ArrayList<>();
            for (Map<String, JsonNode> partial : out) {
                for (JsonNode v : values) {
                    Map<String, JsonNode> m = new LinkedHashMap<>(partial);
                    m.put(axis.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    private static List<JsonNode> expand(String field, List<JsonNode> values, Registries registries) {
        List<JsonNode> out = new ArrayList<>();
        String kind = RunSpecJson.canonical(field);
        for (JsonNode v : values) {
            if (v.isTextual() && "*".equals(v.asText()) && RunSpecJson.REGISTRY_FIELDS.contains(kind)) {
                registries.byKind(kind).names().forEach(n -> out.add(new TextNode(n)));
            } else {
                out.add(v);
            }
        }
        return out;
    }
}
