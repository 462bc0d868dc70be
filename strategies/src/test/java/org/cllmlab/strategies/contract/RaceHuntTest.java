package org.cllmlab.strategies.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import java.time.Duration;
import java.util.Arrays;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.model.ActivationCache;
import org.cllmlab.core.model.GradientSink;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.StrategyContext;
import org.cllmlab.strategies.Bindings;
import org.cllmlab.strategies.Registries;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The hunt must catch an unprotected shared add every time, and must not accuse a correct strategy. */
class RaceHuntTest {

    /** Each item's gradient into a private buffer, then added into the shared one with no lock: a race. */
    static final class UnlockedAdd implements ConcurrencyStrategy {
        @Override
        public String name() {
            return "test.unlocked-add";
        }

        @Override
        public String description() {
            return "racy on purpose";
        }

        @Override
        public Session open(StrategyContext ctx) {
            Transformer model = ctx.model();
            ActivationCache[] caches = new ActivationCache[ctx.workers()];
            float[][] own = new float[ctx.workers()][];
            for (int w = 0; w < ctx.workers(); w++) {
                caches[w] = model.newCache(ctx.cacheRows(), ctx.ledger());
                own[w] = ctx.ledger().floats(Category.GRADIENTS, model.layout().size());
            }
            float[] shared = ctx.gradients();
            return new Session() {
                @Override
                public float process(int worker, WorkItem item, float[] params, float gradScale) {
                    float[] g = own[worker];
                    float loss = model.forward(params, item.tokens(), item.targets(), item.offset(), item.length(),
                            caches[worker]);
                    model.backward(params, caches[worker], gradScale, GradientSink.of(g));
                    for (int i = 0; i < g.length; i++) {
                        shared[i] += g[i];
                    }
                    Arrays.fill(g, 0f);
                    return loss;
                }

                @Override
                public void reduce(int part) {
                }
            };
        }
    }

    static final Registries REGISTRIES = Registries.create(new AbstractModule() {
        @Override
        protected void configure() {
            Bindings.add(Bindings.strategies(binder()), "test.unlocked-add", UnlockedAdd::new);
        }
    });

    @RepeatedTest(5)
    void hunt_unprotectedSharedAdd_isCaughtEveryTime() throws Exception {
        StrategyContract.Result r = new RaceHunt(REGISTRIES, "test.unlocked-add", Duration.ofSeconds(3)).run();
        assertThat(r.passed()).as(r.detail()).isFalse();
        assertThat(r.detail()).contains("max |difference|");
        System.out.printf("race caught after %.3f s: %s%n", r.seconds(), r.detail());
    }

    @Test
    void hunt_globalLock_passes() throws Exception {
        StrategyContract.Result r = new RaceHunt(REGISTRIES, "lock.global", Duration.ofSeconds(1)).run();
        assertThat(r.passed()).as(r.detail()).isTrue();
        assertThat(r.detail()).contains("waves");
        System.out.println("global lock: " + r.detail());
    }
}
