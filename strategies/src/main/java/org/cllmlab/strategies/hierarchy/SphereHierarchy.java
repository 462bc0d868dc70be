package org.cllmlab.strategies.hierarchy;

import org.cllmlab.core.hierarchy.SphereTree;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.spi.Hierarchy;

/**
 * {@code eager} builds the whole 12-fold tree up front, as the original did: root + 12 + 144 = 157
 * spheres, or more complete levels when there are more workers than that. {@code lazy} builds only the
 * first {@code W} spheres in breadth-first order, one per active worker (with their ancestors).
 */
public final class SphereHierarchy implements Hierarchy {

    public static final String EAGER = "eager";
    public static final String LAZY = "lazy";

    private final boolean eager;

    private SphereHierarchy(boolean eager) {
        this.eager = eager;
    }

    public static SphereHierarchy eager() {
        return new SphereHierarchy(true);
    }

    public static SphereHierarchy lazy() {
        return new SphereHierarchy(false);
    }

    @Override
    public String name() {
        return eager ? EAGER : LAZY;
    }

    @Override
    public String description() {
        return eager
                ? "builds the full 12-fold sphere tree up front (157 spheres for up to 157 workers)"
                : "builds one sphere per active worker (W spheres)";
    }

    @Override
    public SphereTree build(int workers, MemoryLedger ledger) {
        return SphereTree.build(eager ? SphereTree.fullTreeSize(workers) : workers, ledger);
    }
}
