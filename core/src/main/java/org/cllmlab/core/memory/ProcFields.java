package org.cllmlab.core.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Shared parsing of the "Key:   value kB" lines of /proc files. */
final class ProcFields {

    private ProcFields() {
    }

    /**
     * Parses every "Key: value [kB]" line. Values with a kB unit are converted to bytes; unitless
     * numbers are kept as they are. Lines that are not of that shape (the rollup's address header,
     * status lines with several numbers or hex masks) are skipped.
     */
    static Map<String, Long> parse(String text) {
        Map<String, Long> fields = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            if (key.isEmpty() || key.contains(" ")) {
                continue;
            }
            String[] parts = line.substring(colon + 1).trim().split("\\s+");
            if (parts.length == 0 || parts.length > 2 || parts[0].isEmpty()) {
                continue;
            }
            long value;
            try {
                value = Long.parseLong(parts[0]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (parts.length == 2) {
                long scale = switch (parts[1].toLowerCase(Locale.ROOT)) {
                    case "kb" -> 1024L;
                    case "mb" -> 1024L * 1024;
                    case "gb" -> 1024L * 1024 * 1024;
                    case "b" -> 1L;
                    default -> -1L;
                };
                if (scale < 0) {
                    continue;
                }
                value *= scale;
            }
            fields.put(key, value);
        }
        return fields;
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
