package org.cllmlab.core.spi;

import org.cllmlab.core.hierarchy.SphereTree;
import org.cllmlab.core.memory.MemoryLedger;

/**
 * How the original trainer's 12-fold sphere tree is built: {@code eager} builds every sphere up front,
 * {@code lazy} only the spheres that the active workers need.
 */
public interface Hierarchy {

    String name();

    String description();

    /** Builds the tree for {@code workers} workers, registering its bytes as {@code hierarchy}. */
    SphereTree build(int workers, MemoryLedger ledger);
}
