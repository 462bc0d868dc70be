package org.cllmlab.experiments.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cllmlab.core.run.RunSpecJson;
import org.cllmlab.core.run.SpecException;

/**
 * A suite as written: the runs (a label plus overrides of the reference spec) crossed with optional
 * axes. Every run of the suite is {@code reference <- presets[preset] <- defaults <- run <- dataset <- matrix
 * combination <- command-line overrides}, then {@code repetitions} times.
 *
 * @param name        the suite's name (names the default output folder)
 * @param description one line for people
 * @param defaults    overrides of the reference spec shared by every run (may be null)
 * @param datasets    an axis: each run on each of these (each entry: an optional {@code name} plus spec fields,
 *                    usually {@code datasetBytes} or {@code corpus}); empty for the runs' own data
 * @param matrix      an axis: spec field to the values it takes, crossed (e.g. {@code "workers": [1, 2, 4]});
 *                    {@code "*"} for a registry field means every registered name
 * @param repetitions how many times each run is repeated (overrides the reference's; null keeps it)
 * @param runs        the runs, each with a {@code label} and overrides
 * @param slurm       options for submitting the suite to a Slurm cluster (may be null)
 * @param phases      options of the phases analysis (may be null)
 */
public record SuiteSpec(String name, String description, ObjectNode defaults, List<ObjectNode> datasets,
                        Map<String, List<JsonNode>> matrix, Integer repetitions, List<ObjectNode> runs,
                        ObjectNode slurm, ObjectNode phases) {

    /**
     * A run may name the datasets it runs on (by their names in {@code datasets}); without it, it runs on
     * every one.
     */
    public static final String ONLY_DATASETS = "onlyDatasets";

    /** The fields a suite may have. */
    public static final List<String> FIELDS = List.of("name", "description", "defaults", "datasets", "matrix",
            "repetitions", "runs", "slurm", "phases");

    public SuiteSpec {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new SpecException("name", "'" + name
                    + "' is not allowed; expected letters, digits, '.', '_' or '-' (it names the output folder)");
        }
        if (runs == null || runs.isEmpty()) {
            throw new SpecException("runs", "missing or empty; expected a list of runs such as"
                    + " [{\"label\": \"baseline\", \"workers\": 63}]");
        }
        if (repetitions != null && repetitions < 1) {
            throw new SpecException("repetitions", repetitions + "; expected a positive integer");
        }
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
        matrix = matrix == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(matrix));
        runs = List.copyOf(runs);
    }

    /**
     * Reads a suite from its JSON object, strictly: every field's kind is checked, at every depth, and an
     * error names the field's path; {@link SpecException#node()} is the value at fault, for its location.
     */
    static SuiteSpec fromJson(ObjectNode n) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw SpecException.unknownField(f, "expected one of " + String.join(", ", FIELDS), n.get(f));
            }
        }
        String name = text(n, "name");
        String description = n.hasNonNull("description") ? text(n, "description") : null;
        ObjectNode defaults = n.hasNonNull("defaults") ? object(n.get("defaults"), "defaults") : null;
        if (defaults != null) {
            checkLayer("defaults", defaults, Set.of());
        }
        List<ObjectNode> datasets = new ArrayList<>();
        if (n.hasNonNull("datasets")) {
            JsonNode a = array(n.get("datasets"), "datasets");
            for (int i = 0; i < a.size(); i++) {
                ObjectNode d = object(a.get(i), "datasets[" + i + "]");
                checkLayer("datasets[" + i + "]", d, Set.of("name"));
                if (d.has("name") && !d.get("name").isTextual()) {
                    throw new SpecException("datasets[" + i + "].name", describe(d.get("name"))
                            + "; expected a string", d.get("name"));
                }
                datasets.add(d);
            }
        }
        Map<String, List<JsonNode>> matrix = new LinkedHashMap<>();
        if (n.hasNonNull("matrix")) {
            ObjectNode m = object(n.get("matrix"), "matrix");
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String field = e.getKey();
                if (!RunSpecJson.FIELDS.contains(field) || "label".equals(field)) {
                    throw new SpecException("matrix", "unknown field '" + field + "'; expected spec fields: "
                            + String.join(", ", RunSpecJson.FIELDS), e.getValue());
                }
                JsonNode values = array(e.getValue(), "matrix." + field);
                if (values.isEmpty()) {
                    throw new SpecException("matrix." + field, "empty; expected a list of values", values);
                }
                List<JsonNode> list = new ArrayList<>();
                for (int i = 0; i < values.size(); i++) {
                    JsonNode v = values.get(i);
                    boolean star = v.isTextual() && "*".equals(v.asText())
                            && RunSpecJson.REGISTRY_FIELDS.contains(RunSpecJson.canonical(field));
                    if (!star) {
                        try {
                            RunSpecJson.checkValue(field, v);
                        } catch (SpecException ex) {
                            throw new SpecException("matrix." + field + "[" + i + "]", ex.detail(), v);
                        }
                    }
                    list.add(v);
                }
                matrix.put(field, list);
            }
        }
        Integer repetitions = null;
        if (n.hasNonNull("repetitions")) {
            JsonNode r = n.get("repetitions");
            if (!r.isIntegralNumber() || !r.canConvertToInt()) {
                throw new SpecException("repetitions", describe(r) + "; expected a whole number", r);
            }
            repetitions = r.asInt();
        }
        List<ObjectNode> runs = new ArrayList<>();
        if (n.hasNonNull("runs")) {
            JsonNode a = array(n.get("runs"), "runs");
            for (int i = 0; i < a.size(); i++) {
                ObjectNode r = object(a.get(i), "runs[" + i + "]");
                checkLayer("runs[" + i + "]", r, Set.of(ONLY_DATASETS));
                if (r.has(ONLY_DATASETS)) {
                    JsonNode only = r.get(ONLY_DATASETS);
                    if (!only.isArray() || only.isEmpty()) {
                        throw new SpecException("runs[" + i + "]." + ONLY_DATASETS, describe(only)
                                + "; expected a list of the names of the suite's datasets", only);
                    }
                    for (JsonNode dataset : only) {
                        boolean known = datasets.stream().anyMatch(d -> d.path("name").asText("").equals(dataset.asText()));
                        if (!dataset.isTextual() || !known) {
                            throw new SpecException("runs[" + i + "]." + ONLY_DATASETS, describe(dataset)
                                    + " is not a dataset of this suite; expected one of the names in \"datasets\"", dataset);
                        }
                    }
                }
                runs.add(r);
            }
        }
        ObjectNode slurm = n.hasNonNull("slurm") ? object(n.get("slurm"), "slurm") : null;
        SlurmSpec.read(slurm); // checked now, with the rest of the suite, though read only when it is submitted
        ObjectNode phases = n.hasNonNull("phases") ? object(n.get("phases"), "phases") : null;
        try {
            return new SuiteSpec(name, description, defaults, datasets, matrix, repetitions, runs, slurm, phases);
        } catch (SpecException e) {
            throw new SpecException(e.field(), e.detail(), n.get(e.field()));
        }
    }

    /** Checks one layer's fields and kinds, naming the field by its path in the suite. */
    static void checkLayer(String where, ObjectNode layer, Set<String> allowed) {
        try {
            RunSpecJson.checkLayer(layer, allowed);
        } catch (SpecException e) {
            if (e.getMessage().startsWith("unknown field")) {
                throw new SpecException(where, e.getMessage() + (allowed.isEmpty() ? "" : ", "
                        + String.join(", ", allowed)), e.node());
            }
            throw new SpecException(where + "." + e.field(), e.detail(), e.node());
        }
    }

    private static String text(ObjectNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new SpecException(field, describe(v) + "; expected a string", v);
        }
        return v.asText();
    }

    private static ObjectNode object(JsonNode v, String path) {
        if (!v.isObject()) {
            throw new SpecException(path, describe(v) + "; expected an object", v);
        }
        return (ObjectNode) v;
    }

    private static JsonNode array(JsonNode v, String path) {
        if (!v.isArray()) {
            throw new SpecException(path, describe(v) + "; expected a list", v);
        }
        return v;
    }

    static String describe(JsonNode v) {
        if (v.isTextual()) {
            return v + " (a string)";
        }
        if (v.isNumber()) {
            return v + " (a number)";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "a list";
        }
        return v.toString();
    }
}
