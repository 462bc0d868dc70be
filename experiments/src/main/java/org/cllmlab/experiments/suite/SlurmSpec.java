package org.cllmlab.experiments.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.cllmlab.core.run.SpecException;
import org.cllmlab.experiments.slurm.ArrayScript;

/**
 * A suite's {@code "slurm"} object: what {@code sbatch} is asked for when the suite is submitted as a job
 * array. Read strictly, like the rest of a suite: every field's kind is checked (no string taken for a
 * number), and an error names the field ({@code slurm.cpusPerTask}) and the value at fault.
 *
 * <pre>
 * "slurm": {"partition": "short", "time": "2:00:00", "cpusPerTask": 8, "mem": "16G", "throttle": 4,
 *           "sbatchArgs": ["--qos=normal", "--exclusive"]}
 * </pre>
 */
public final class SlurmSpec {

    /** The fields of the object, each named after the sbatch option it sets. */
    public static final List<String> FIELDS = List.of("partition", "time", "cpusPerTask", "mem", "throttle",
            "sbatchArgs");

    private SlurmSpec() {
    }

    /**
     * The options {@code slurm} asks for; {@link ArrayScript.Options#DEFAULTS} for {@code null}.
     *
     * @throws SpecException naming the field ({@code slurm.FIELD}) and the value at fault
     */
    public static ArrayScript.Options read(ObjectNode slurm) {
        if (slurm == null) {
            return ArrayScript.Options.DEFAULTS;
        }
        for (Iterator<String> it = slurm.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw SpecException.unknownField("slurm." + f, "expected one of " + String.join(", ", FIELDS),
                        slurm.get(f));
            }
        }
        String partition = text(slurm, "partition", "a partition's name, such as \"short\"");
        String time = text(slurm, "time", "a time limit as sbatch takes it, such as \"90\" (minutes), \"2:00:00\""
                + " or \"1-0\"");
        Integer cpus = positive(slurm, "cpusPerTask", "CPUs per task");
        String mem = text(slurm, "mem", "a memory size as sbatch takes it, such as \"16G\"");
        Integer throttle = positive(slurm, "throttle", "tasks at once");
        List<String> extra = new ArrayList<>();
        JsonNode args = slurm.get("sbatchArgs");
        if (args != null && !args.isNull()) {
            if (!args.isArray()) {
                throw new SpecException("slurm.sbatchArgs", SuiteSpec.describe(args)
                        + "; expected a list of strings, such as [\"--qos=normal\"]", args);
            }
            for (int i = 0; i < args.size(); i++) {
                JsonNode a = args.get(i);
                if (!a.isTextual() || a.asText().isEmpty()) {
                    throw new SpecException("slurm.sbatchArgs[" + i + "]", SuiteSpec.describe(a)
                            + "; expected a non-empty string, such as \"--qos=normal\"", a);
                }
                extra.add(a.asText());
            }
        }
        try {
            return new ArrayScript.Options(partition, time, cpus, mem, throttle, extra);
        } catch (IllegalArgumentException e) {
            throw new SpecException("slurm", e.getMessage(), slurm);
        }
    }

    /**
     * {@code base} with every setting that {@code override} makes replaced; the extra sbatch arguments of
     * both, {@code override}'s last (sbatch takes the last of a repeated option).
     */
    public static ArrayScript.Options merge(ArrayScript.Options base, ArrayScript.Options override) {
        List<String> extra = new ArrayList<>(base.extraArgs());
        extra.addAll(override.extraArgs());
        return new ArrayScript.Options(or(override.partition(), base.partition()), or(override.timeLimit(),
                base.timeLimit()), or(override.cpusPerTask(), base.cpusPerTask()), or(override.memory(),
                base.memory()), or(override.throttle(), base.throttle()), extra);
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }

    private static String text(ObjectNode n, String field, String expected) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().chars().anyMatch(Character::isWhitespace)) {
            throw new SpecException("slurm." + field, SuiteSpec.describe(v) + "; expected " + expected
                    + " (without blanks)", v);
        }
        return v.asText();
    }

    private static Integer positive(ObjectNode n, String field, String what) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
            throw new SpecException("slurm." + field, SuiteSpec.describe(v) + "; expected a whole number of " + what
                    + ", 1 or more", v);
        }
        return v.asInt();
    }
}
