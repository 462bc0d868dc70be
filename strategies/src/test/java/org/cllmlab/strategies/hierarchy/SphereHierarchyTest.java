package org.cllmlab.strategies.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;

import org.cllmlab.core.hierarchy.Sphere;
import org.cllmlab.core.hierarchy.SphereTree;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.memory.MemoryLedger;
import org.junit.jupiter.api.Test;

class SphereHierarchyTest {

    @Test
    void eager_63Workers_buildsTheOriginals157Spheres() {
        MemoryLedger ledger = new MemoryLedger();
        SphereTree tree = SphereHierarchy.eager().build(63, ledger);
        assertThat(tree.size()).isEqualTo(157);
        assertThat(tree.spheres().stream().filter(s -> s.level() == 1)).hasSize(12);
        assertThat(tree.spheres().stream().filter(s -> s.level() == 2)).hasSize(144);
        assertThat(ledger.bytes(Category.HIERARCHY)).isEqualTo(tree.bytes()).isPositive();
    }

    @Test
    void lazy_63Workers_buildsOneSpherePerWorkerAndFewerBytes() {
        MemoryLedger eagerLedger = new MemoryLedger();
        MemoryLedger lazyLedger = new MemoryLedger();
        SphereTree eager = SphereHierarchy.eager().build(63, eagerLedger);
        SphereTree lazy = SphereHierarchy.lazy().build(63, lazyLedger);
        assertThat(lazy.size()).isEqualTo(63);
        // Each sphere's queue array alone is 1000 references, so the saving is at least 94 of them.
        long perQueue = org.cllmlab.core.memory.ArrayFootprint.references(Sphere.QUEUE_SLOTS);
        assertThat(eager.bytes() - lazy.bytes()).isGreaterThanOrEqualTo(94 * perQueue);
        assertThat(lazyLedger.bytes(Category.HIERARCHY)).isEqualTo(lazy.bytes());
    }

    @Test
    void lazy_anyPrefix_isAConnectedTree() {
        SphereTree tree = SphereHierarchy.lazy().build(40, new MemoryLedger());
        for (Sphere s : tree.spheres()) {
            assertThat(s.parent()).isLessThan(s.id());
            if (s.id() > 0) {
                assertThat(tree.spheres().get(s.parent()).level()).isEqualTo(s.level() - 1);
            }
        }
    }

    @Test
    void eager_moreWorkersThanTheOriginalTree_addsCompleteLevels() {
        assertThat(SphereTree.fullTreeSize(63)).isEqualTo(157);
        assertThat(SphereTree.fullTreeSize(157)).isEqualTo(157);
        assertThat(SphereTree.fullTreeSize(158)).isEqualTo(157 + 1728);
        assertThat(SphereHierarchy.eager().build(1024, new MemoryLedger()).size()).isEqualTo(1885);
    }
}
