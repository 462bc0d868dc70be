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
 *   <li>an object with {@code schema} and {@code runId} is a run result and must parse as one, else the
 *       whole report fails naming the file, line and column;</li>
 *   <li>an array whose elements carry {@code benchmark} is JMH output;</li>
 *   <li>any other JSON (a suite spec, say) is foreign and skipped but listed;</li>
 *   <li>the report's own {@code summary.json} is skipped.</li>
 * </ul>
 * Files are visited in sorted path order, so the same directory always gives the same inputs.
 */
public final class ResultLoader {

    /** File names the report writes; never read back as inputs. */
    static final Set<String> OWN_OUTPUTS = Set.of("summary.json");

    private ResultLoader() {
    }

    /** What a directory held. Paths are relative to the directory, with '/' separators. */
    public record Inputs(String directory, Map<String, RunResult> runs, List<JmhResult> jmh, List<String> ignored) {
        public Inputs {
            runs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(runs));
            jmh = List.copyOf(jmh);
            ignored = List.copyOf(ignored);
        }
    }

    public static Inputs load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ReportException("no result directory at " + dir);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !OWN_OUTPUTS.contains(p.getFileName().toString()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ReportException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        Map<String, RunResult> runs = new LinkedHashMap<>();
        List<JmhResult> jmh = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (Path file : files) {
            String rel = dir.relativize(file).toString().replace('\\', '/');
            String shown = display(dir, rel);
            JsonNode tree;
            try {
                tree = Results.mapper().readTree(file.toFile());
            } catch (JsonProcessingException e) {
                throw corrupt(shown, e);
            } catch (IOException e) {
                throw new ReportException(shown + ": cannot read: " + e.getMessage(), e);
            }
            if (tree != null && tree.isObject() && tree.has("schema") && tree.has("runId")) {
                runs.put(rel, readRun(file, shown));
            } else if (isJmh(tree)) {
                jmh.addAll(readJmh(tree, rel, shown));
            } else {
                ignored.add(rel);
            }
        }
        if (runs.isEmpty() && jmh.isEmpty()) {
            if (ignored.isEmpty()) {
                throw new ReportException("no result files in " + dir);
            }
            throw new ReportException("no result files in " + dir + ": " + ignored.size()
                    + " .json file(s) but none is a cllm-lab result or JMH output (first: " + ignored.get(0) + ")");
        }
        return new Inputs(dir.toString(), runs, jmh, ignored);
    }

    private static String display(Path dir, String rel) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? rel : name + "/" + rel;
    }

    private static RunResult readRun(Path file, String shown) {
        try {
            RunResult r = Results.read(file);
            if (r.schema() > RunResult.SCHEMA) {
                throw new ReportException(shown + ": not a cllm-lab result file: schema " + r.schema()
                        + " is newer than this reader (" + RunResult.SCHEMA + ")");
            }
            if (r.ok() && (r.config() == null || r.memory() == null || r.training() == null)) {
                throw new ReportException(shown + ": not a cllm-lab result file: status ok but "
                        + (r.config() == null ? "config" : r.memory() == null ? "memory" : "training") + " is missing");
            }
            return r;
        } catch (JsonProcessingException e) {
            throw corrupt(shown, e);
        } catch (IOException e) {
            throw new ReportException(shown + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static ReportException corrupt(String shown, JsonProcessingException e) {
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
        return new ReportException(shown + ": not a cllm-lab result file: " + reason + where, e);
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

    private static List<JmhResult> readJmh(JsonNode tree, String rel, String shown) {
        List<JmhResult> out = new ArrayList<>();
        int i = 0;
        for (JsonNode e : tree) {
            JsonNode pm = e.path("primaryMetric");
            if (!pm.has("score")) {
                throw new ReportException(shown + ": not a JMH result file: benchmark #" + i + " has no primaryMetric.score");
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
}
