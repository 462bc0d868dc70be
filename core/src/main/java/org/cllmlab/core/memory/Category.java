package org.cllmlab.core.memory;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a ledgered allocation is for. The ids appear in result files and reports. */
public enum Category {
    PARAMETERS,
    GRADIENTS,
    OPTIMIZER_STATE,
    ACTIVATIONS,
    DATASET,
    BATCHES,
    WORKSPACE,
    HIERARCHY;

    /** The id used in result files: lower case, words joined by '-'. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Category parse(String id) {
        for (Category c : values()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("category: '" + id + "' is unknown; expected one of "
                + Arrays.stream(values()).map(Category::id).collect(Collectors.joining(", ")));
    }
}
