package org.cllmlab.core.memory;

import org.cllmlab.core.run.Identified;

/** What a ledgered allocation is for. The ids appear in result files and reports. */
public enum Category implements Identified {
    PARAMETERS,
    GRADIENTS,
    OPTIMIZER_STATE,
    ACTIVATIONS,
    DATASET,
    BATCHES,
    WORKSPACE,
    HIERARCHY;

    public static Category parse(String id) {
        return Identified.parse(Category.class, "category", id);
    }
}
