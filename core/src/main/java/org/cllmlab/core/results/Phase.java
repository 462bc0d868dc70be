package org.cllmlab.core.results;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.cllmlab.core.run.Identified;

/**
 * A run's role in the story of the original trainer's optimizations (DESIGN §10): a suite's spec says
 * which run plays which part, and the reports find the phases by this role, never by a run's label.
 */
public enum Phase implements Identified {
    /** 63 workers behind one model lock, 8 MiB stacks, the full sphere hierarchy, oversized caches. */
    BASELINE,
    /** Thread stacks 8 MiB → 1 MiB. */
    PHASE1,
    /** The sphere hierarchy built lazily. */
    PHASE2,
    /** Right-sized activation caches. */
    PHASE3,
    /** The model lock removed: thread-local buffers, a barrier and a parallel reduction. */
    PHASE4,
    /** This project's best design beyond the original's phases. */
    BEYOND;

    @JsonValue
    @Override
    public String id() {
        return Identified.super.id();
    }

    @JsonCreator
    public static Phase parse(String id) {
        return Identified.parse(Phase.class, "role", id);
    }
}
