package org.cllmlab.experiments.suite;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.cllmlab.experiments.cli.UserError;
import org.cllmlab.experiments.run.RunAssembly;

/**
 * Loads suites: the built-in ones by name, or a JSON file (a suite, or a single run spec). Everything is
 * resolved and validated up front, before any run starts; errors name the place, the field, the value and
 * what is allowed, and malformed JSON its line and column.
 */
public final class Specs {

    /** The suites shipped as resources under {@code suites/}. */
    public static final List<String> BUILT_IN = List.of("phases", "scaling", "stacks");

    /** Fields that make a JSON object a suite rather than one run spec. */
    private static final List<String> SUITE_FIELDS = List.of("runs", "name", "description", "defaults", "datasets",
            "matrix");

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
     * @param runs     every run, in order
     * @param resolved the suite as written plus every resolved run spec (written to {@code suite.json})
     */
    public record Suite(String name, List<PlannedRun> runs, ObjectNode resolved) {
        /** The preset of the runs if they share one, else {@code mixed}. */
        public String preset() {
            Set<String> p = runs.stream().map(r -> r.spec().preset()).collect(Collectors.toCollection(LinkedHashSet::new));
            return p.size() == 1 ? p.iterator().next() : "mixed";
        }
    }

    private Specs() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A built-in suite's name or a JSON file's path. */
    public static Suite load(String suiteOrFile, Overrides cli) {
        if (BUILT_IN.contains(suiteOrFile)) {
            return builtIn(suiteOrFile, cli);
        }
        Path file = Path.of(suiteOrFile);
        if (!Files.isRegularFile(file)) {
            throw new UserError("suite: '" + suiteOrFile + "' is neither a built-in suite nor a spec file; expected one of "
                    + String.join(", ", BUILT_IN) + ", or the path of a JSON spec");
        }
        return fromFile(file, cli);
    }

    public static Suite builtIn(String name, Overrides cli) {
        String where = "built-in suite '" + name + "'";
        try (InputStream in = Specs.class.getResourceAsStream("/suites/" + name + ".json")) {
            if (in == null) {
                throw new UserError("suite: '" + name + "' is unknown; expected one of " + String.join(", ", BUILT_IN));
            }
            byte[] bytes = in.readAllBytes();
            return resolve(where, parseSuite(where, bytes), Path.of("").toAbsolutePath(), cli);
        } catch (IOException e) {
            throw new UserError(where + ": " + e.getMessage(), e);
        }
    }

    public static Suite fromFile(Path file, Overrides cli) {
        String where = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError(where + ": cannot read: " + e.getMessage(), e);
        }
        JsonNode tree = parseTree(where, bytes);
        if (!tree.isObject()) {
            throw new UserError(where + ": expected a JSON object (a suite with \"runs\", or one run spec)");
        }
        SuiteSpec suite;
        if (SUITE_FIELDS.stream().anyMatch(tree::has)) {
            suite = parseSuite(where, bytes);
        } else {
            ObjectNode run = (ObjectNode) tree;
            String stem = file.getFileName().toString().replaceFirst("\\.json$", "").replaceAll("[^A-Za-z0-9._-]", "_");
            if (!run.has("label")) {
                run = run.deepCopy();
                run.put("label", stem);
            }
            try {
                suite = new SuiteSpec(stem, "one run spec", null, null, null, null, List.of(run));
            } catch (IllegalArgumentException e) {
                throw new UserError(where + ": " + e.getMessage().replaceFirst("^runs\\[0\\]: ", ""), e);
            }
        }
        Path base = file.toAbsolutePath().getParent();
        return resolve(where, suite, base, cli);
    }

    static JsonNode parseTree(String where, byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new UserError(where + ": malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UserError(where + ": " + e.getMessage(), e);
        }
    }

    static SuiteSpec parseSuite(String where, byte[] bytes) {
        parseTree(where, bytes);
        checkSuiteFields(where, bytes);
        try {
            return MAPPER.readValue(bytes, SuiteSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw new UserError(where + ": unknown field '" + e.getPropertyName() + "'" + at(e.getLocation())
                    + "; expected one of " + e.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", ")), e);
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new UserError(where + ": " + c.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new UserError(where + at(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UserError(where + ": " + e.getMessage(), e);
        }
    }

    /** Fails on an unknown top-level field of a suite, naming it, its line and column, and the known fields. */
    private static void checkSuiteFields(String where, byte[] bytes) {
        Set<String> known = new java.util.TreeSet<>();
        for (var c : SuiteSpec.class.getRecordComponents()) {
            known.add(c.getName());
        }
        try (JsonParser p = MAPPER.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!known.contains(name)) {
                    throw new UserError(where + ": unknown field '" + name + "'" + at(p.currentTokenLocation())
                            + "; expected one of " + String.join(", ", known));
                }
                p.nextToken();
                p.skipChildren();
            }
        } catch (IOException e) {
            throw new UserError(where + ": " + e.getMessage(), e);
        }
    }

    private static String at(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
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
        return toSpec("reference spec", reference().run(), Path.of("").toAbsolutePath());
    }

    /** Expands a suite into its runs, validating every run spec and (once per distinct list) its JVM options. */
    static Suite resolve(String where, SuiteSpec suite, Path base, Overrides cli) {
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
        List<ObjectNode> datasets = suite.datasets().isEmpty() ? java.util.Collections.singletonList(null) : suite.datasets();
        List<Map<String, JsonNode>> combos = combinations(suite.matrix());
        List<PlannedRun> runs = new ArrayList<>();
        ArrayNode resolvedRuns = MAPPER.createArrayNode();
        Map<String, String> seen = new LinkedHashMap<>();
        for (int i = 0; i < suite.runs().size(); i++) {
            ObjectNode run = suite.runs().get(i);
            for (ObjectNode dataset : datasets) {
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
                    RunSpec spec = toSpec(context, merged, base);
                    try {
                        JvmOptionsCheck.check(spec.jvmOptions());
                    } catch (IllegalArgumentException e) {
                        throw new UserError(context + ": " + e.getMessage(), e);
                    }
                    String data = datasetName != null ? datasetName : spec.datasetName();
                    List<String> parts = new ArrayList<>();
                    parts.add(spec.label());
                    combo.forEach((k, v) -> {
                        if (!"workers".equals(k)) {
                            parts.add(v.asText());
                        }
                    });
                    parts.add(spec.preset());
                    parts.add(data);
                    parts.add("w" + spec.workers());
                    String group = String.join("-", parts).replaceAll("[^A-Za-z0-9._-]", "_");
                    resolvedRuns.add(MAPPER.valueToTree(spec));
                    for (int rep = 1; rep <= spec.repetitions(); rep++) {
                        String runId = group + "-r" + rep;
                        String before = seen.put(runId, context);
                        if (before != null) {
                            throw new UserError(context + ": run id '" + runId + "' is also the id of " + before
                                    + "; expected distinct labels");
                        }
                        runs.add(new PlannedRun(runId, suite.name(), group, data, rep, spec));
                    }
                }
            }
        }
        ObjectNode resolved = MAPPER.createObjectNode();
        resolved.set("suite", MAPPER.valueToTree(suite));
        resolved.set("overrides", cliLayer);
        resolved.set("reference", MAPPER.valueToTree(ref));
        resolved.set("runs", resolvedRuns);
        return new Suite(suite.name(), List.copyOf(runs), resolved);
    }

    /** The layer with the snake-case aliases ({@code d_model}, {@code d_ff}) renamed to the record's names. */
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

    static RunSpec toSpec(String context, ObjectNode merged, Path base) {
        JsonNode corpus = merged.get("corpus");
        if (corpus != null && corpus.isTextual()) {
            Path p = Path.of(corpus.asText());
            merged.set("corpus", new TextNode(base.resolve(p).toAbsolutePath().normalize().toString()));
        }
        try {
            return MAPPER.treeToValue(merged, RunSpec.class);
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new UserError(context + ": " + c.getMessage(), e);
        } catch (UnrecognizedPropertyException e) {
            throw new UserError(context + ": unknown field '" + e.getPropertyName() + "'; expected one of "
                    + String.join(", ", RunSpec.FIELDS), e);
        } catch (JsonProcessingException e) {
            Throwable c = e.getCause();
            String msg = c instanceof IllegalArgumentException ? c.getMessage() : e.getOriginalMessage();
            String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
                    ? m.getPath().get(0).getFieldName() + ": " : "";
            throw new UserError(context + ": " + (msg.startsWith(path) ? msg : path + msg), e);
        }
    }

    /** Every combination of the matrix's values, in order; {@code "*"} expands to a registry's names. */
    static List<Map<String, JsonNode>> combinations(Map<String, List<JsonNode>> matrix) {
        List<Map<String, JsonNode>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<JsonNode>> axis : matrix.entrySet()) {
            List<JsonNode> values = expand(axis.getKey(), axis.getValue());
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

    private static List<JsonNode> expand(String field, List<JsonNode> values) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode v : values) {
            if (v.isTextual() && "*".equals(v.asText()) && SuiteSpec.REGISTRY_FIELDS.contains(field)) {
                var r = RunAssembly.registries();
                Collection<String> names = switch (field) {
                    case "strategy" -> r.strategies().names();
                    case "threads" -> r.threads().names();
                    case "hierarchy" -> r.hierarchies().names();
                    default -> r.caches().names();
                };
                names.forEach(n -> out.add(new TextNode(n)));
            } else {
                out.add(v);
            }
        }
        return out;
    }

    /** Field names of a node, for messages. */
    static String fields(ObjectNode n) {
        List<String> f = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            f.add(it.next());
        }
        return String.join(", ", f);
    }
}
