package org.cllmlab.strategies.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.model.ActivationCache;
import org.cllmlab.core.model.GradientSink;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.run.BatchMode;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.StrategyContext;
import org.cllmlab.core.train.ParallelTrainer;
import org.cllmlab.strategies.Bindings;
import org.cllmlab.strategies.Registries;
import org.junit.jupiter.api.Test;

/** The engine hands each worker its items in groups, and the contract checks what a strategy does with them. */
class GroupedItemsTest {

    /** Records every group it is handed; each item's "loss" is its index. */
    static final class Recording implements ConcurrencyStrategy {
        static final ConcurrentLinkedQueue<int[]> GROUPS = new ConcurrentLinkedQueue<>();

        @Override
        public String name() {
            return "test.recording";
        }

        @Override
        public String description() {
            return "records the groups";
        }

        @Override
        public Session open(StrategyContext ctx) {
            return new Session() {
                @Override
                public float process(int worker, WorkItem item, float[] params, float gradScale) {
                    throw new AssertionError("the engine hands groups");
                }

                @Override
                public void processGroup(int worker, WorkItem[] items, int count, float[] params, float gradScale,
                                         float[] losses) {
                    GROUPS.add(new int[] {worker, count, ctx.groupItems()});
                    for (int i = 0; i < count; i++) {
                        losses[i] = items[i].index();
                    }
                }

                @Override
                public void reduce(int part) {
                }
            };
        }
    }

    /** Runs a group as one pass but leaves out its last item's gradient: wrong only when groups have two items or more. */
    static final class DropsLastOfGroup implements ConcurrencyStrategy {
        @Override
        public String name() {
            return "test.drops-last-of-group";
        }

        @Override
        public String description() {
            return "wrong on purpose";
        }

        @Override
        public Session open(StrategyContext ctx) {
            Transformer model = ctx.model();
            ActivationCache[] caches = new ActivationCache[ctx.workers()];
            float[][] own = new float[ctx.workers()][];
            for (int w = 0; w < ctx.workers(); w++) {
                caches[w] = model.newCache(ctx.groupCacheRows(), ctx.ledger());
                own[w] = w == 0 ? ctx.gradients() : ctx.ledger().floats(Category.GRADIENTS, model.layout().size());
            }
            return new Session() {
                @Override
                public float process(int worker, WorkItem item, float[] params, float gradScale) {
                    float loss = model.forward(params, item.tokens(), item.targets(), item.offset(), item.length(),
                            caches[worker]);
                    model.backward(params, caches[worker], gradScale, GradientSink.of(own[worker]));
                    return loss;
                }

                @Override
                public void processGroup(int worker, WorkItem[] items, int count, float[] params, float gradScale,
                                         float[] losses) {
                    int kept = Math.max(1, count - 1);
                    model.forward(params, items, kept, caches[worker], losses);
                    model.backward(params, caches[worker], gradScale, GradientSink.of(own[worker]));
                    for (int i = kept; i < count; i++) {
                        losses[i] = losses[0];
                    }
                }

                @Override
                public int reductionParts() {
                    return 1;
                }

                @Override
                public void reduce(int part) {
                    for (int w = 1; w < own.length; w++) {
                        for (int i = 0; i < own[w].length; i++) {
                            own[0][i] += own[w][i];
                            own[w][i] = 0f;
                        }
                    }
                }
            };
        }
    }

    static final Registries REGISTRIES = Registries.create(new AbstractModule() {
        @Override
        protected void configure() {
            Bindings.add(Bindings.strategies(binder()), "test.recording", Recording::new);
            Bindings.add(Bindings.strategies(binder()), "test.drops-last-of-group", DropsLastOfGroup::new);
        }
    });
    static final StrategyContract CONTRACT = new StrategyContract(REGISTRIES);

    @Test
    void groupFor_cutsEachWorkersShareIntoEqualGroupsOfAtMostEight_andNeverMoreThanABatchOfCaches() {
        assertThat(ParallelTrainer.groupFor(32, 1, 32)).isEqualTo(8);
        assertThat(ParallelTrainer.groupFor(32, 2, 32)).isEqualTo(8);
        assertThat(ParallelTrainer.groupFor(32, 3, 32)).as("11 each: 6 + 5").isEqualTo(6);
        assertThat(ParallelTrainer.groupFor(32, 5, 32)).as("7 each").isEqualTo(6);
        assertThat(ParallelTrainer.groupFor(12, 1, 32)).as("12: 6 + 6").isEqualTo(6);
        assertThat(ParallelTrainer.groupFor(32, 63, 32)).isEqualTo(1);
        assertThat(ParallelTrainer.groupFor(63, 63, 32)).as("one item per worker").isEqualTo(1);
        assertThat(ParallelTrainer.groupFor(64 * 32, 64, 32)).as("weak scaling: a batch per worker").isEqualTo(1);
        assertThat(ParallelTrainer.groupFor(2 * 32, 2, 32)).as("weak scaling on 2").isEqualTo(8);
    }

    @Test
    void engine_handsEachWorkerItsItemsInGroups_andPutsEveryLossAtItsItemsIndex() {
        Recording.GROUPS.clear();
        Transformer model = new Transformer(StrategyContract.CONFIG, new org.cllmlab.core.kernel.ReferenceKernels());
        try (ParallelTrainer t = CONTRACT.trainer(model, "test.recording", StrategyContract.params(model, 1), 2,
                "platform-1m", 3)) {
            ParallelTrainer.StepOutcome out = t.step(StrategyContract.items(14, 3), 1f / 14, null);

            assertThat(out.meanLoss()).as("the mean of the indices 0..13").isEqualTo(6.5);
            assertThat(t.groupItems()).isEqualTo(3);
        }
        List<int[]> groups = List.copyOf(Recording.GROUPS);
        assertThat(groups).allSatisfy(g -> assertThat(g[2]).as("the context's groupItems").isEqualTo(3));
        // Seven items each: groups of 3, 3 and 1 per worker.
        assertThat(groups.stream().mapToInt(g -> g[1]).sorted().toArray()).containsExactly(1, 1, 3, 3, 3, 3);
        assertThat(groups.stream().filter(g -> g[0] == 0).mapToInt(g -> g[1]).sum()).isEqualTo(7);
    }

    @Test
    void gradientCheck_catchesAStrategyThatGetsItsGroupsWrong_andPassesItWhereGroupsHaveOneItem() {
        StrategyContract.Result grouped = CONTRACT.gradient("test.drops-last-of-group", 1, BatchMode.GLOBAL);
        StrategyContract.Result single = CONTRACT.gradient("test.drops-last-of-group", 63, BatchMode.GLOBAL);

        assertThat(grouped.passed()).as(grouped.detail()).isFalse();
        assertThat(grouped.setting()).isEqualTo("W=1 global, groups of 8");
        assertThat(single.passed()).as(single.detail()).isTrue();
        assertThat(single.setting()).isEqualTo("W=63 global, groups of 1");
    }
}
