package org.cllmlab.strategies.hierarchy;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.cllmlab.core.spi.Hierarchy;
import org.cllmlab.strategies.Bindings;

/** Hierarchy: {@code eager}, {@code lazy}. */
public final class HierarchyModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder<String, Hierarchy> hierarchies = Bindings.hierarchies(binder());
        Bindings.add(hierarchies, SphereHierarchy.EAGER, SphereHierarchy::eager);
        Bindings.add(hierarchies, SphereHierarchy.LAZY, SphereHierarchy::lazy);
    }
}
