package org.cllmlab.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.cllmlab.core.data.DataException;
import org.cllmlab.core.data.EmbeddedCorpus;
import org.cllmlab.core.data.TokenizerKind;
import org.cllmlab.core.model.Preset;
import org.cllmlab.core.results.Phase;

/**
 * The flat JSON form of a {@link RunSpec}, as spec files write it ({@code "strategy": "lock.global",
 * "workers": 63, ...}), in both directions. Reading is strict: a string where a number belongs, a fraction
 * where a whole number belongs, a number where a name belongs are errors that name the field (no coercion,
 * unlike a general-purpose JSON binder), and so is a field no spec has.
 */
public final class RunSpecJson {

    /** What a field's JSON value must be. */
    private enum Kind {
        TEXT("a string"), OPTIONAL_TEXT("a string or null"), WHOLE("a whole number"),
        OPTIONAL_WHOLE("a whole number or null"), LONG("a whole number"), NUMBER("a number"),
        SIZE("a size in bytes, such as 8192, \"8k\" or \"24m\""), TEXT_LIST("a list of strings");

        final String expected;

        Kind(String expected) {
            this.expected = expected;
        }
    }

    /** Every field, in the order files list them, with its kind. */
    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();
    /** Snake-case spellings a spec may use instead. */
    private static final Map<String, String> ALIASES = Map.of("d_model", "dModel", "d_ff", "dFf");

    static {
        KINDS.put("label", Kind.TEXT);
        KINDS.put("role", Kind.OPTIONAL_TEXT);
        KINDS.put("preset", Kind.TEXT);
        for (String f : List.of("dModel", "layers", "heads", "dFf", "seq", "batch")) {
            KINDS.put(f, Kind.OPTIONAL_WHOLE);
        }
        KINDS.put("corpus", Kind.OPTIONAL_TEXT);
        KINDS.put("datasetBytes", Kind.SIZE);
        KINDS.put("tokenizer", Kind.TEXT);
        KINDS.put("strategy", Kind.TEXT);
        KINDS.put("threads", Kind.TEXT);
        KINDS.put("hierarchy", Kind.TEXT);
        KINDS.put("caches", Kind.TEXT);
        KINDS.put("workers", Kind.WHOLE);
        KINDS.put("batchMode", Kind.TEXT);
        KINDS.put("steps", Kind.WHOLE);
        KINDS.put("warmup", Kind.WHOLE);
        KINDS.put("warmupMax", Kind.OPTIONAL_WHOLE);
        KINDS.put("measureSeconds", Kind.NUMBER);
        KINDS.put("repetitions", Kind.WHOLE);
        KINDS.put("seed", Kind.LONG);
        KINDS.put("learningRate", Kind.NUMBER);
        KINDS.put("lrSchedule", Kind.TEXT);
        KINDS.put("clip", Kind.NUMBER);
        KINDS.put("evalEvery", Kind.WHOLE);
        KINDS.put("evalBatches", Kind.WHOLE);
        KINDS.put("kernels", Kind.TEXT);
        KINDS.put("jvmOptions", Kind.TEXT_LIST);
        KINDS.put("cpus", Kind.WHOLE);
    }

    /** The field names a spec may use (the canonical names and their snake-case aliases), sorted. */
    public static final Set<String> FIELDS;

    static {
        Set<String> names = new TreeSet<>(KINDS.keySet());
        names.addAll(ALIASES.keySet());
        FIELDS = Collections.unmodifiableSet(names);
    }

    private RunSpecJson() {
    }

    /** The canonical name of {@code field} ({@code d_model} → {@code dModel}), or the name itself. */
    public static String canonical(String field) {
        return ALIASES.getOrDefault(field, field);
    }

    /** Fields whose value names a registered component. */
    public static final Set<String> REGISTRY_FIELDS = Set.of("strategy", "threads", "hierarchy", "caches", "kernels");

    /**
     * Checks one layer of a spec (a suite's defaults, a run, a dataset entry or a matrix value) before it is
     * merged: every field is known and its value has the right JSON kind.
     *
     * @param allowed extra field names this layer may hold (e.g. a dataset's {@code name})
     * @throws SpecException naming the field, with {@link SpecException#node()} the value at fault
     */
    public static void checkLayer(ObjectNode layer, Set<String> allowed) {
        for (Iterator<Map.Entry<String, JsonNode>> it = layer.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (allowed.contains(e.getKey())) {
                continue;
            }
            checkValue(e.getKey(), e.getValue());
        }
    }

    /**
     * Checks that {@code value} has the JSON kind field {@code field} takes.
     *
     * @throws SpecException for an unknown field or a value of the wrong kind
     */
    public static void checkValue(String field, JsonNode value) {
        Kind kind = KINDS.get(canonical(field));
        if (kind == null) {
            throw SpecException.unknownField(field, "expected one of " + String.join(", ", FIELDS), value);
        }
        kindError(field, kind, value);
    }

    private static void kindError(String field, Kind kind, JsonNode v) {
        boolean ok = switch (kind) {
            case TEXT -> v.isTextual();
            case OPTIONAL_TEXT -> v.isTextual() || v.isNull();
            case WHOLE -> v.isIntegralNumber() && v.canConvertToInt();
            case OPTIONAL_WHOLE -> v.isNull() || v.isIntegralNumber() && v.canConvertToInt();
            case LONG -> v.isIntegralNumber() && v.canConvertToLong();
            case NUMBER -> v.isNumber();
            case SIZE -> v.isIntegralNumber() && v.canConvertToLong() || v.isTextual();
            case TEXT_LIST -> v.isArray() && allText(v);
        };
        if (!ok) {
            throw new SpecException(field, describe(v) + "; expected " + kind.expected, v);
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode e : array) {
            if (!e.isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** How a JSON value reads in an error: {@code "ten" (a string)}, {@code 2.7 (a fraction)}, ... */
    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "missing";
        }
        if (v.isTextual()) {
            return v.toString() + " (a string)";
        }
        if (v.isFloatingPointNumber()) {
            return v.toString() + " (a fraction)";
        }
        if (v.isIntegralNumber()) {
            return v.toString() + (v.canConvertToInt() ? " (a whole number)" : " (too large)");
        }
        if (v.isBoolean()) {
            return v + " (true or false)";
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isArray()) {
            return "a list";
        }
        return "an object";
    }

    /**
     * The run spec of a merged, flat JSON object holding every field (a spec file's layers over the
     * reference spec).
     *
     * @throws SpecException naming the first field at fault, with its node where it has one
     */
    public static RunSpec fromJson(ObjectNode n) {
        Map<String, JsonNode> f = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            checkValue(e.getKey(), e.getValue());
            f.put(canonical(e.getKey()), e.getValue());
        }
        for (String required : KINDS.keySet()) {
            Kind k = KINDS.get(required);
            if (!f.containsKey(required) && k != Kind.OPTIONAL_TEXT && k != Kind.OPTIONAL_WHOLE) {
                throw new SpecException(required, "missing; expected " + k.expected);
            }
        }
        Reader r = new Reader(f);
        try {
            RunSpec.Shape shape = r.at("preset", () -> new RunSpec.Shape(Preset.parse(r.text("preset")),
                    r.optionalWhole("dModel"), r.optionalWhole("layers"), r.optionalWhole("heads"),
                    r.optionalWhole("dFf"), r.optionalWhole("seq"), r.optionalWhole("batch")));
            RunSpec.Data data = r.at("datasetBytes", () -> new RunSpec.Data(r.optionalText("corpus"),
                    r.size("datasetBytes"), r.at("tokenizer", () -> tokenizer(r.text("tokenizer")))));
            RunSpec.Parallelism parallelism = r.at("workers", () -> new RunSpec.Parallelism(r.text("strategy"),
                    r.text("threads"), r.text("hierarchy"), r.text("caches"), r.whole("workers"),
                    r.at("batchMode", () -> BatchMode.parse(r.text("batchMode")))));
            int warmup = r.whole("warmup");
            Integer warmupMax = r.optionalWhole("warmupMax");
            RunSpec.Schedule schedule = r.at("steps", () -> new RunSpec.Schedule(r.whole("steps"), warmup,
                    warmupMax == null ? warmup : warmupMax, r.number("measureSeconds"), r.number("learningRate"),
                    r.at("lrSchedule", () -> LrSchedule.parse(r.text("lrSchedule"))), r.number("clip"),
                    r.whole("evalEvery"), r.whole("evalBatches")));
            String role = r.optionalText("role");
            return r.at("label", () -> new RunSpec(r.text("label"),
                    role == null ? null : r.at("role", () -> Phase.parse(role)), shape, data, parallelism, schedule,
                    r.text("kernels"), r.longValue("seed"), r.whole("repetitions"), r.textList("jvmOptions"),
                    r.whole("cpus")));
        } catch (SpecException e) {
            String key = canonical(e.field().replace("d_model", "dModel").replace("d_ff", "dFf"));
            throw e.node() != null || !f.containsKey(key) ? e : new SpecException(e.field(), e.detail(), f.get(key));
        }
    }

    private static TokenizerKind tokenizer(String id) {
        try {
            return TokenizerKind.parse(id);
        } catch (DataException e) {
            throw new SpecException("tokenizer", e.getMessage().substring("tokenizer: ".length()));
        }
    }

    /** Reads typed values of checked fields; an enum or range error is pinned to its field. */
    private record Reader(Map<String, JsonNode> f) {
        String text(String k) {
            return f.get(k).asText();
        }

        String optionalText(String k) {
            JsonNode v = f.get(k);
            return v == null || v.isNull() ? null : v.asText();
        }

        int whole(String k) {
            return f.get(k).asInt();
        }

        long longValue(String k) {
            return f.get(k).asLong();
        }

        Integer optionalWhole(String k) {
            JsonNode v = f.get(k);
            return v == null || v.isNull() ? null : v.asInt();
        }

        double number(String k) {
            return f.get(k).asDouble();
        }

        long size(String k) {
            JsonNode v = f.get(k);
            if (v.isNumber()) {
                return v.asLong();
            }
            try {
                return EmbeddedCorpus.parseSize(v.asText());
            } catch (DataException e) {
                throw new SpecException(k, "'" + v.asText() + "' is not a size; expected a size from 1 byte to "
                        + EmbeddedCorpus.MAX_BYTES + " bytes, such as 8192, \"8k\" or \"24m\"", v);
            }
        }

        List<String> textList(String k) {
            List<String> out = new ArrayList<>();
            f.get(k).forEach(e -> out.add(e.asText()));
            return out;
        }

        /** Runs {@code make}, pinning an unknown-name error that has no field of its own to {@code field}. */
        <T> T at(String field, java.util.function.Supplier<T> make) {
            try {
                return make.get();
            } catch (SpecException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                String m = String.valueOf(e.getMessage());
                int colon = m.indexOf(": ");
                String named = colon > 0 ? m.substring(0, colon) : field;
                String key = KINDS.containsKey(named) ? named : field;
                throw new SpecException(key, colon > 0 && KINDS.containsKey(named) ? m.substring(colon + 2) : m,
                        f.get(key));
            }
        }
    }

    /** Every field of {@code spec}, flat, in the files' order. */
    public static ObjectNode toJson(RunSpec s) {
        JsonNodeFactory j = JsonNodeFactory.instance;
        ObjectNode n = j.objectNode();
        n.put("label", s.label());
        n.put("role", s.role() == null ? null : s.role().id());
        RunSpec.Shape sh = s.shape();
        n.put("preset", sh.preset().id());
        n.put("dModel", sh.dModel());
        n.put("layers", sh.layers());
        n.put("heads", sh.heads());
        n.put("dFf", sh.dFf());
        n.put("seq", sh.seq());
        n.put("batch", sh.batch());
        n.put("corpus", s.data().corpus());
        n.put("datasetBytes", s.data().datasetBytes());
        n.put("tokenizer", s.data().tokenizer().id());
        RunSpec.Parallelism p = s.parallelism();
        n.put("strategy", p.strategy());
        n.put("threads", p.threads());
        n.put("hierarchy", p.hierarchy());
        n.put("caches", p.caches());
        n.put("workers", p.workers());
        n.put("batchMode", p.batchMode().id());
        RunSpec.Schedule c = s.schedule();
        n.put("steps", c.steps());
        n.put("warmup", c.warmup());
        n.put("warmupMax", c.warmupMax());
        n.put("measureSeconds", c.measureSeconds());
        n.put("repetitions", s.repetitions());
        n.put("seed", s.seed());
        n.put("learningRate", c.learningRate());
        n.put("lrSchedule", c.lrSchedule().id());
        n.put("clip", c.clip());
        n.put("evalEvery", c.evalEvery());
        n.put("evalBatches", c.evalBatches());
        n.put("kernels", s.kernels());
        ArrayNode opts = n.putArray("jvmOptions");
        s.jvmOptions().forEach(opts::add);
        n.put("cpus", s.cpus());
        return n;
    }
}
