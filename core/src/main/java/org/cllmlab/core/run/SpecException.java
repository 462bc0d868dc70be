package org.cllmlab.core.run;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A run description that is not valid. The message is one line, {@code "field: value; expected ..."}
 * (or {@code "unknown field 'x'; expected one of ..."}); {@link #field} names the spec field at fault
 * and {@link #node}, when known, the JSON value it came from, so that a loader can say where in which
 * file that value was written.
 */
public final class SpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String detail;
    private final transient JsonNode node;

    public SpecException(String field, String detail) {
        this(field, detail, null);
    }

    public SpecException(String field, String detail, JsonNode node) {
        this(field, detail, node, false);
    }

    /** A field no spec has: "unknown field 'x'; " followed by {@code expected} (e.g. "expected one of a, b"). */
    public static SpecException unknownField(String field, String expected, JsonNode node) {
        return new SpecException(field, expected, node, true);
    }

    private SpecException(String field, String detail, JsonNode node, boolean unknownField) {
        super(unknownField ? "unknown field '" + field + "'; " + detail : field + ": " + detail);
        this.field = field;
        this.detail = detail;
        this.node = node;
    }

    /** The spec field at fault, e.g. {@code workers}. */
    public String field() {
        return field;
    }

    /** The message without its leading "field: ". */
    public String detail() {
        return detail;
    }

    /** The JSON value at fault, or null when the error is not about one value. */
    public JsonNode node() {
        return node;
    }
}
