package org.cllmlab.experiments.suite;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A JSON document read into a tree that remembers where each value was written (for an object's member,
 * where its name is written), so that an error about any field, at any depth, can name its line and column. Every value is a node of its own (no shared cached
 * nodes for small numbers, {@code true} or {@code null}), so a node's identity finds its place even after
 * the tree's objects are copied and merged (copying an object keeps its value nodes).
 */
final class LocatedJson {

    private final JsonNode root;
    private final Map<JsonNode, JsonLocation> where;

    private LocatedJson(JsonNode root, Map<JsonNode, JsonLocation> where) {
        this.root = root;
        this.where = where;
    }

    JsonNode root() {
        return root;
    }

    /** Lets {@code copy}, a node made from {@code original} (a path resolved, say), be found at its place. */
    LocatedJson alias(JsonNode copy, JsonNode original) {
        JsonLocation loc = where.get(original);
        if (loc != null) {
            where.put(copy, loc);
        }
        return this;
    }

    /** " at line L, column C" for a node of this document, else "". */
    String at(JsonNode node) {
        JsonLocation loc = node == null ? null : where.get(node);
        return format(loc);
    }

    static String format(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    /**
     * Parses {@code bytes} (JSON with comments).
     *
     * @throws JsonProcessingException for malformed JSON, with its location
     */
    static LocatedJson parse(byte[] bytes) throws IOException {
        Map<JsonNode, JsonLocation> where = new IdentityHashMap<>();
        try (JsonParser p = Specs.mapper().createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "empty file; expected a JSON object");
            }
            JsonNode root = read(p, where);
            if (p.nextToken() != null) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected content after the JSON object");
            }
            return new LocatedJson(root, where);
        }
    }

    private static JsonNode read(JsonParser p, Map<JsonNode, JsonLocation> where) throws IOException {
        JsonLocation loc = p.currentTokenLocation();
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonNode node = switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonLocation named = p.currentTokenLocation();
                    p.nextToken();
                    JsonNode value = read(p, where);
                    where.put(value, named); // a member is found where its name is written
                    o.set(name, value);
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(read(p, where));
                }
                yield a;
            }
            case VALUE_STRING -> new TextNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> new IntNode(p.getIntValue());
                case LONG -> new LongNode(p.getLongValue());
                default -> new BigIntegerNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
                    ? new DecimalNode(p.getDecimalValue()) : new DoubleNode(p.getDoubleValue());
            case VALUE_TRUE -> new Bool(true);
            case VALUE_FALSE -> new Bool(false);
            case VALUE_NULL -> new Null();
            default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + p.currentToken());
        };
        where.put(node, loc);
        return node;
    }

    /** A boolean node of its own (Jackson shares one TRUE and one FALSE). */
    private static final class Bool extends BooleanNode {
        private static final long serialVersionUID = 1L;

        Bool(boolean v) {
            super(v);
        }
    }

    /** A null node of its own (Jackson shares one). */
    private static final class Null extends NullNode {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean equals(Object o) {
            return o instanceof NullNode;
        }

        @Override
        public int hashCode() {
            return NullNode.instance.hashCode();
        }
    }
}
