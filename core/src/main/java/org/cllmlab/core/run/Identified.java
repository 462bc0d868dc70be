package org.cllmlab.core.run;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum constant known by a lower-case id on the command line, in specs, in result files and in
 * reports ({@code seed}, {@code per-worker}, {@code cosine}). Parsing every such enum goes through
 * {@link #parse}, so that every unknown value gets the same message: the field, the value, the ids.
 */
public interface Identified {

    /** The id: the constant's name in lower case, words joined by {@code -}. */
    default String id() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} whose id is {@code value}.
     *
     * @throws IllegalArgumentException "field: 'value' is unknown; expected one of a, b, c"
     */
    static <E extends Enum<E> & Identified> E parse(Class<E> type, String field, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.id().equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException(field + ": '" + value + "' is unknown; expected one of " + ids(type));
    }

    /** Every id of {@code type}, in declaration order, joined by ", ". */
    static <E extends Enum<E> & Identified> String ids(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Identified::id).collect(Collectors.joining(", "));
    }
}
