package org.cllmlab.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import org.cllmlab.strategies.lock.GlobalLockStrategy;
import org.junit.jupiter.api.Test;

class LabModuleTest {

    private final Registries registries = Registries.create();

    @Test
    void strategies_bound_exactSet() {
        assertThat(registries.strategies().names()).containsExactly(
                "lock.global", "lock.per-layer", "lock.per-layer-inline",
                "lockfree.core-slots", "lockfree.thread-local");
    }

    @Test
    void threads_bound_exactSet() {
        assertThat(registries.threads().names())
                .containsExactly("platform-1m", "platform-8m", "platform-default", "virtual");
    }

    @Test
    void hierarchies_bound_exactSet() {
        assertThat(registries.hierarchies().names()).containsExactly("eager", "lazy");
    }

    @Test
    void caches_bound_exactSet() {
        assertThat(registries.caches().names()).containsExactly("oversized", "right-sized");
    }

    @Test
    void create_everyName_returnsFreshInstanceNamedAsBound() {
        for (String name : registries.strategies().names()) {
            var a = registries.strategies().create(name);
            var b = registries.strategies().create(name);
            assertThat(a.name()).isEqualTo(name);
            assertThat(a).isNotSameAs(b);
        }
        for (String name : registries.threads().names()) {
            assertThat(registries.threads().create(name).name()).isEqualTo(name);
        }
        for (String name : registries.hierarchies().names()) {
            assertThat(registries.hierarchies().create(name).name()).isEqualTo(name);
        }
        for (String name : registries.caches().names()) {
            assertThat(registries.caches().create(name).name()).isEqualTo(name);
        }
    }

    @Test
    void create_unknownName_failsListingKnownNames() {
        assertThatThrownBy(() -> registries.strategies().create("lock.none"))
                .isInstanceOf(Registry.UnknownNameException.class)
                .hasMessage("strategy: 'lock.none' is unknown; expected one of lock.global, lock.per-layer, "
                        + "lock.per-layer-inline, lockfree.core-slots, lockfree.thread-local");
        assertThatThrownBy(() -> registries.threads().create("platform-2m"))
                .hasMessageContaining("threads: 'platform-2m' is unknown; expected one of platform-1m");
    }

    @Test
    void bind_duplicateName_isRejectedByGuice() {
        assertThatThrownBy(() -> Registries.create(new AbstractModule() {
            @Override
            protected void configure() {
                Bindings.add(Bindings.strategies(binder()), "lock.global", GlobalLockStrategy::new);
            }
        })).isInstanceOf(CreationException.class).hasMessageContaining("lock.global");
    }

    @Test
    void kernels_bound_exactSet() {
        assertThat(registries.kernels().names()).containsExactly("blocked", "reference", "vector");
        assertThat(registries.kernels().create("reference").name()).isEqualTo("reference");
    }

    @Test
    void bind_extraModule_addsName() {
        Registries extended = Registries.create(new AbstractModule() {
            @Override
            protected void configure() {
                Bindings.add(Bindings.strategies(binder()), "test.global-again",
                        () -> new Renamed("test.global-again", new GlobalLockStrategy()));
            }
        });
        assertThat(extended.strategies().names()).contains("test.global-again", "lock.global");
        assertThat(extended.strategies().create("test.global-again").name()).isEqualTo("test.global-again");
        assertThat(extended.strategies().origin("test.global-again")).as("not from a plug-in jar").isNull();
    }

    /** Another name for a strategy, as a user's module might bind it. */
    record Renamed(String name, org.cllmlab.core.spi.ConcurrencyStrategy delegate)
            implements org.cllmlab.core.spi.ConcurrencyStrategy {
        @Override
        public String description() {
            return delegate.description();
        }

        @Override
        public Session open(org.cllmlab.core.spi.StrategyContext context) {
            return delegate.open(context);
        }
    }
}
