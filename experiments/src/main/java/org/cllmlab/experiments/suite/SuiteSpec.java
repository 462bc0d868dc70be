package org.cllmlab.experiments.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A suite as written: the runs (a label plus overrides of the reference spec) crossed with optional
 * axes. Every run of the suite is {@code reference <- presets[preset] <- defaults <- run <- dataset <- matrix
 * combination <- command-line overrides}, then {@code repetitions} times.
 *
 * @param name        the suite's name (names the default output folder)
 * @param description one line for people
 * @param defaults    overrides of the reference spec shared by every run (may be null)
 * @param datasets    an axis: each run on each of these (each entry: an optional {@code name} plus spec fields,
 *                    usually {@code datasetBytes} or {@code corpus}); null or empty for the runs' own data
 * @param matrix      an axis: spec field to the values it takes, crossed (e.g. {@code "workers": [1, 2, 4]});
 *                    {@code "*"} for a registry field means every registered name
 * @param repetitions how many times each run is repeated (overrides the reference's; null keeps it)
 * @param runs        the runs, each with a {@code label} and overrides
 */
public record SuiteSpec(String name, String description, ObjectNode defaults, List<ObjectNode> datasets,
                        Map<String, List<JsonNode>> matrix, Integer repetitions, List<ObjectNode> runs) {

    /** Matrix fields whose value {@code "*"} means every registered name. */
    static final Set<String> REGISTRY_FIELDS = Set.of("strategy", "threads", "hierarchy", "caches");

    public SuiteSpec {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name: '" + name
                    + "' is not allowed; expected letters, digits, '.', '_' or '-' (it names the output folder)");
        }
        if (runs == null || runs.isEmpty()) {
            throw new IllegalArgumentException("runs: missing or empty; expected a list of runs such as"
                    + " [{\"label\": \"baseline\", \"workers\": 63}]");
        }
        if (repetitions != null && repetitions < 1) {
            throw new IllegalArgumentException("repetitions: " + repetitions + "; expected a positive integer");
        }
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
        matrix = matrix == null ? Map.of() : new LinkedHashMap<>(matrix);
        runs = List.copyOf(runs);
        knownFields("defaults", defaults, Set.of());
        for (int i = 0; i < runs.size(); i++) {
            knownFields("runs[" + i + "]", runs.get(i), Set.of());
        }
        for (int i = 0; i < datasets.size(); i++) {
            knownFields("datasets[" + i + "]", datasets.get(i), Set.of("name"));
        }
        for (Map.Entry<String, List<JsonNode>> e : matrix.entrySet()) {
            if (!RunSpec.FIELDS.contains(e.getKey()) || "label".equals(e.getKey())) {
                throw new IllegalArgumentException("matrix: unknown field '" + e.getKey() + "'; expected spec fields: "
                        + String.join(", ", RunSpec.FIELDS));
            }
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw new IllegalArgumentException("matrix." + e.getKey() + ": empty; expected a list of values");
            }
        }
        matrix = java.util.Collections.unmodifiableMap(matrix);
    }

    /** Fails on a field that no run spec has, naming it and the known fields. */
    static void knownFields(String where, ObjectNode node, Set<String> extra) {
        if (node == null) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!RunSpec.FIELDS.contains(f) && !extra.contains(f)) {
                throw new IllegalArgumentException(where + ": unknown field '" + f + "'; expected one of "
                        + String.join(", ", RunSpec.FIELDS) + (extra.isEmpty() ? "" : ", " + String.join(", ", extra)));
            }
        }
    }
}
