package org.cllmlab.reports;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.core.results.Results;

/**
 * Finds the inputs of a report under a directory. Every {@code *.json} file below it is looked at:
 * <ul>
 *   <li>an object with {@code schema} and {@code runId} is a run result and must parse as one;</li>
 *   <li>an array whose elements carry {@code benchmark} is JMH output;</li>
 *   <li>an object whose {@code result} holds a {@code products} array and a {@code peakGflops} object is
 *       {@code ./lab efficiency} output and must parse as one;</li>
 *   <li>the suite runner's own files ({@code suite.json}, and everything under {@code requests/},
 *       {@code logs/} and {@code slurm/}) and the report's own {@code summary.json} are skipped silently;</li>
 *   <li>any other JSON (a spec, say) is foreign and skipped but listed.</li>
 * </ul>
 * A file that cannot be read, or that looks like an input but does not parse as one (truncated JSON, a
 * wrong type, a newer schema), does not stop the others: it is listed as {@link Unreadable} with the reason,
 * and the report renders every file that could be read. Files are visited in sorted path order, so the same
 * directory always gives the same inputs.
 */
public final class ResultLoader {

    /** File names the report writes; never read back as inputs. */
    static final Set<String> OWN_OUTPUTS = Set.of("summary.json");
    /** File names the suite runner writes beside the results (the resolved suite). */
    static final Set<String> RUNNER_FILES = Set.of("suite.json");
    /** Folders the suite runner writes beside the results: run requests, run logs, cluster job files. */
    static final Set<String> RUNNER_FOLDERS = Set.of("requests", "logs", "slurm");

    private ResultLoader() {
    }

    /**
     * A file that looked like an input, or could not be told apart from one, and could not be read.
     *
     * @param file   path relative to the result directory, with '/' separators
     * @param shown  the path as messages show it: the directory's name, then {@code file}
     * @param reason one line: what is wrong and, for JSON errors, the line and column
     */
    public record Unreadable(String file, String shown, String reason) {
        /** The line a command line prints: "{@code results/x.json: not a cllm-lab result file: ...}". */
        public String message() {
            return shown + ": " + reason;
        }
    }

    /** What a directory held. Paths are relative to the directory, with '/' separators. */
    public record Inputs(String directory, Map<String, RunResult> runs, List<JmhResult> jmh,
                         List<EfficiencyResult> efficiency, List<String> ignored, List<Unreadable> unreadable) {
        public Inputs {
            runs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(runs));
            jmh = List.copyOf(jmh);
            efficiency = List.copyOf(efficiency);
            ignored = List.copyOf(ignored);
            unreadable = List.copyOf(unreadable);
        }

        /** Inputs that were all readable. */
        public Inputs(String directory, Map<String, RunResult> runs, List<JmhResult> jmh,
                      List<EfficiencyResult> efficiency, List<String> ignored) {
            this(directory, runs, jmh, efficiency, ignored, List.of());
        }
    }

    /** A file's reason for being unreadable, on its way to an {@link Unreadable}. */
    private static final class Bad extends RuntimeException {
        Bad(String reason, Throwable cause) {
            super(reason, cause, false, false);
        }
    }

    /**
     * Reads every input under {@code dir}.
     *
     * @throws ReportException when the directory cannot be listed, or holds no readable input (the message
     *                         then names the first unreadable or foreign file)
     */
    public static Inputs load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ReportException("no result directory at " + dir);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !OWN_OUTPUTS.contains(p.getFileName().toString()))
                    .filter(p -> !runnerFile(dir.relativize(p)))
                    .sorted()
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ReportException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        Map<String, RunResult> runs = new LinkedHashMap<>();
        List<JmhResult> jmh = new ArrayList<>();
        List<EfficiencyResult> efficiency = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        for (Path file : files) {
            String rel = dir.relativize(file).toString().replace('\\', '/');
            try {
                JsonNode tree = readTree(file);
                if (tree != null && tree.isObject() && tree.has("schema") && tree.has("runId")) {
                    runs.put(rel, readRun(file));
                } else if (isJmh(tree)) {
                    jmh.addAll(readJmh(tree, rel));
                } else if (isEfficiency(tree)) {
                    efficiency.add(new EfficiencyReader().read(tree, rel));
                } else {
                    ignored.add(rel);
                }
            } catch (Bad e) {
                unreadable.add(new Unreadable(rel, display(dir, rel), e.getMessage()));
            }
        }
        if (runs.isEmpty() && jmh.isEmpty() && efficiency.isEmpty()) {
            if (!unreadable.isEmpty()) {
                throw new ReportException(unreadable.size() == 1 ? unreadable.get(0).message()
                        : "no readable result files in " + dir + ": " + unreadable.size()
                        + " unreadable (first: " + unreadable.get(0).message() + ")");
            }
            if (ignored.isEmpty()) {
                throw new ReportException("no result files in " + dir);
            }
            throw new ReportException("no result files in " + dir + ": " + ignored.size()
                    + " .json file(s) but none is a cllm-lab result, JMH output or ./lab efficiency output (first: "
                    + ignored.get(0) + ")");
        }
        return new Inputs(dir.toString(), runs, jmh, efficiency, ignored, unreadable);
    }

    /** Whether a path (relative to the result directory) is one of the suite runner's own files. */
    static boolean runnerFile(Path rel) {
        if (RUNNER_FILES.contains(rel.getFileName().toString())) {
            return true;
        }
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            if (RUNNER_FOLDERS.contains(rel.getName(i).toString())) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode readTree(Path file) {
        try {
            return Results.mapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw corrupt(e);
        } catch (IOException e) {
            throw new Bad("cannot read: " + e.getMessage(), e);
        }
    }

    private static String display(Path dir, String rel) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? rel : name + "/" + rel;
    }

    private static RunResult readRun(Path file) {
        try {
            RunResult r = Results.read(file);
            if (r.schema() > RunResult.SCHEMA) {
                throw new Bad("not a cllm-lab result file: schema " + r.schema()
                        + " is newer than this reader (" + RunResult.SCHEMA + ")", null);
            }
            if (r.ok() && (r.config() == null || r.memory() == null || r.training() == null)) {
                throw new Bad("not a cllm-lab result file: status ok but "
                        + (r.config() == null ? "config" : r.memory() == null ? "memory" : "training") + " is missing", null);
            }
            return r;
        } catch (JsonProcessingException e) {
            throw corrupt(e);
        } catch (IOException e) {
            throw new Bad("cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof Bad b) {
                throw b;
            }
            // a record's own validation (a negative size, a missing name) rejected the file
            throw new Bad("not a cllm-lab result file: " + firstLine(e.getMessage()), e);
        }
    }

    private static Bad corrupt(JsonProcessingException e) {
        String reason = firstLine(e.getOriginalMessage());
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null) {
            reason = firstLine(root.getMessage());
        }
        JsonLocation loc = e.getLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + " column " + loc.getColumnNr();
        return new Bad("not a cllm-lab result file: " + reason + where, e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static boolean isJmh(JsonNode tree) {
        if (tree == null || !tree.isArray() || tree.isEmpty()) {
            return false;
        }
        for (JsonNode e : tree) {
            if (!e.isObject() || !e.has("benchmark")) {
                return false;
            }
        }
        return true;
    }

    private static List<JmhResult> readJmh(JsonNode tree, String rel) {
        List<JmhResult> out = new ArrayList<>();
        int i = 0;
        for (JsonNode e : tree) {
            JsonNode pm = e.path("primaryMetric");
            if (!pm.has("score")) {
                throw new Bad("not a JMH result file: benchmark #" + i + " has no primaryMetric.score", null);
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = e.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                params.put(p.getKey(), p.getValue().asText());
            }
            JsonNode err = pm.path("scoreError");
            double error = err.isNumber() ? err.asDouble() : Double.NaN;
            out.add(new JmhResult(rel, e.path("benchmark").asText(), e.path("mode").asText(""),
                    e.path("threads").asInt(1), e.path("forks").asInt(0), params, pm.path("score").asDouble(),
                    error, pm.path("scoreUnit").asText("")));
            i++;
        }
        return out;
    }

    private static boolean isEfficiency(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            return false;
        }
        JsonNode result = tree.path("result");
        return result.isObject() && result.path("products").isArray() && result.path("peakGflops").isObject();
    }

    /**
     * Reads {@code ./lab efficiency} output strictly: a missing or mistyped figure fails the report with the
     * file, the field (relative to {@code result}, or under {@code provenance}) and what was expected.
     * Fields added with the issue probe ({@code issueProbe}, {@code quietRounds}, {@code quietShareOfPeak})
     * may be absent, as in older files.
     */
    private record EfficiencyReader() {

        EfficiencyResult read(JsonNode tree, String rel) {
            JsonNode prov = tree.path("provenance");
            String startedAt = text(prov, "startedAt", "provenance.startedAt", false);
            String gitCommit = text(prov, "gitCommit", "provenance.gitCommit", false);
            JsonNode r = tree.path("result");
            int rounds = whole(r, "rounds", "rounds");
            int sliceMillis = whole(r, "sliceMillis", "sliceMillis");
            EfficiencyResult.Spread peak = spread(r, "peakGflops", "peakGflops");
            EfficiencyResult.Spread ceiling = spread(r, "twoCoreCeiling", "twoCoreCeiling");
            EfficiencyResult.Spread probe = absent(r.get("issueProbe")) ? null : spread(r, "issueProbe", "issueProbe");
            List<EfficiencyResult.Product> products = new ArrayList<>();
            JsonNode ps = r.path("products");
            for (int i = 0; i < ps.size(); i++) {
                products.add(product(ps.get(i), "products[" + i + "]"));
            }
            return new EfficiencyResult(rel, rounds, sliceMillis, startedAt, gitCommit, peak, ceiling, probe, products);
        }

        private EfficiencyResult.Product product(JsonNode p, String at) {
            if (!p.isObject()) {
                throw bad(at, p, "an object");
            }
            String kernel = text(p, "kernel", at + ".kernel", true);
            String product = text(p, "product", at + ".product", true);
            String description = text(p, "description", at + ".description", true);
            EfficiencyResult.Spread gflops = spread(p, "gflops", at + ".gflops");
            EfficiencyResult.Spread share = spread(p, "shareOfPeak", at + ".shareOfPeak");
            Integer quietRounds = absent(p.get("quietRounds")) ? null : whole(p, "quietRounds", at + ".quietRounds");
            EfficiencyResult.Spread quiet = absent(p.get("quietShareOfPeak")) ? null
                    : spread(p, "quietShareOfPeak", at + ".quietShareOfPeak");
            if (quiet == null && quietRounds != null && quietRounds > 0) {
                throw fail(at + ".quietShareOfPeak is missing; expected an object with median, min and max since quietRounds is "
                        + quietRounds);
            }
            if (quiet != null && (quietRounds == null || quietRounds == 0)) {
                throw fail(at + ".quietShareOfPeak is an object; expected null since quietRounds is "
                        + (quietRounds == null ? "missing" : "0"));
            }
            return new EfficiencyResult.Product(kernel, product, description, gflops, share, quietRounds, quiet);
        }

        private EfficiencyResult.Spread spread(JsonNode parent, String name, String at) {
            JsonNode s = parent.get(name);
            if (absent(s)) {
                throw missing(at, "an object with median, min and max");
            }
            if (!s.isObject()) {
                throw bad(at, s, "an object with median, min and max");
            }
            return new EfficiencyResult.Spread(number(s, "median", at + ".median"), number(s, "min", at + ".min"),
                    number(s, "max", at + ".max"));
        }

        private double number(JsonNode parent, String name, String at) {
            JsonNode n = parent.get(name);
            if (absent(n)) {
                throw missing(at, "a number");
            }
            if (!n.isNumber()) {
                throw bad(at, n, "a number");
            }
            return n.asDouble();
        }

        private int whole(JsonNode parent, String name, String at) {
            JsonNode n = parent.get(name);
            if (absent(n)) {
                throw missing(at, "a whole number");
            }
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0) {
                throw bad(at, n, "a whole number");
            }
            return n.asInt();
        }

        /** A string; when not {@code required}, an absent or null field reads as empty. */
        private String text(JsonNode parent, String name, String at, boolean required) {
            JsonNode n = parent.get(name);
            if (absent(n)) {
                if (required) {
                    throw missing(at, "a string");
                }
                return "";
            }
            if (!n.isTextual()) {
                throw bad(at, n, "a string");
            }
            return n.asText();
        }

        private static boolean absent(JsonNode n) {
            return n == null || n.isNull();
        }

        private Bad missing(String at, String expected) {
            return fail(at + " is missing; expected " + expected);
        }

        private Bad bad(String at, JsonNode found, String expected) {
            return fail(at + " is " + (found.isArray() ? "an array" : found.isObject() ? "an object" : found.toString())
                    + "; expected " + expected);
        }

        private Bad fail(String detail) {
            return new Bad("not an efficiency result file: " + detail, null);
        }
    }
}
