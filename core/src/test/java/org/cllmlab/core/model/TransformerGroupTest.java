package org.cllmlab.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.kernel.BlockedKernels;
import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.kernel.ReferenceKernels;
import org.cllmlab.core.kernel.VectorKernels;
import org.cllmlab.core.memory.MemoryLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A group of items run as one pass ({@link Transformer#forward(float[], WorkItem[], int, ActivationCache, float[])})
 * gives each item's loss and the sum of the items' gradients, as the items run one by one do, with every
 * kernel; and items of different lengths keep their own positions, attention and loss.
 */
class TransformerGroupTest {

    private static final ModelConfig TINY = Preset.TINY.config(50);

    static Stream<Arguments> kernels() {
        Stream.Builder<Arguments> b = Stream.builder();
        b.add(Arguments.of(new ReferenceKernels()));
        b.add(Arguments.of(new BlockedKernels()));
        if (Kernels.vectorApiAvailable()) {
            b.add(Arguments.of(new VectorKernels()));
            b.add(Arguments.of(new VectorKernels(8, 64, 64 * 96)));
        }
        return b.build();
    }

    /** Three items: a full one, one three positions short, and a short one, at different offsets of one stream. */
    private static WorkItem[] items(ModelConfig config, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] tokens = new int[4 * config.seq()];
        int[] targets = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(config.vocab());
            targets[i] = r.nextInt(config.vocab());
        }
        int seq = config.seq();
        return new WorkItem[] {
            new WorkItem(0, tokens, targets, 0, seq),
            new WorkItem(1, tokens, targets, seq + 1, seq - 3),
            new WorkItem(2, tokens, targets, 3 * seq, 7),
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void group_givesEachItemsLoss_andTheSumOfTheirGradients(Kernels kernels) {
        Transformer model = new Transformer(TINY, kernels);
        float[] p = TransformerGradientTest.spreadParams(model, 5);
        WorkItem[] items = items(TINY, 9);
        int size = model.layout().size();

        float[] expectedGrad = new float[size];
        float[] expectedLoss = new float[items.length];
        ActivationCache one = model.newCache(TINY.seq(), new MemoryLedger());
        for (int i = 0; i < items.length; i++) {
            WorkItem it = items[i];
            expectedLoss[i] = model.forward(p, it.tokens(), it.targets(), it.offset(), it.length(), one);
            model.backward(p, one, 0.25f, GradientSink.of(expectedGrad));
        }

        float[] grad = new float[size];
        float[] losses = new float[items.length];
        ActivationCache group = model.newCache(items.length * TINY.seq(), new MemoryLedger());
        model.forward(p, items, items.length, group, losses);
        model.backward(p, group, 0.25f, GradientSink.of(grad));

        assertThat(group.items()).isEqualTo(3);
        assertThat(group.length()).isEqualTo(TINY.seq() + TINY.seq() - 3 + 7);
        for (int i = 0; i < items.length; i++) {
            assertThat(losses[i]).as("loss of item %d", i)
                    .isCloseTo(expectedLoss[i], Offset.offset(1e-5f * Math.abs(expectedLoss[i])));
        }
        double scale = 0;
        for (float g : expectedGrad) {
            scale = Math.max(scale, Math.abs(g));
        }
        assertThat(scale).as("the gradient is not zero").isGreaterThan(1e-4);
        int worst = 0;
        for (int i = 0; i < size; i++) {
            if (Math.abs(grad[i] - expectedGrad[i]) > Math.abs(grad[worst] - expectedGrad[worst])) {
                worst = i;
            }
        }
        assertThat((double) Math.abs(grad[worst] - expectedGrad[worst])).as("gradient at %d", worst)
                .isLessThan(2e-5 * scale);
    }

    @Test
    void singleItemAfterAGroup_forgetsTheGroup() {
        Transformer model = new Transformer(TINY, new ReferenceKernels());
        float[] p = TransformerGradientTest.spreadParams(model, 5);
        WorkItem[] items = items(TINY, 9);
        ActivationCache cache = model.newCache(3 * TINY.seq(), new MemoryLedger());
        model.forward(p, items, 3, cache, new float[3]);

        WorkItem it = items[1];
        float loss = model.forward(p, it.tokens(), it.targets(), it.offset(), it.length(), cache);
        float[] grad = new float[model.layout().size()];
        model.backward(p, cache, 1f, GradientSink.of(grad));

        ActivationCache fresh = model.newCache(TINY.seq(), new MemoryLedger());
        float freshLoss = model.forward(p, it.tokens(), it.targets(), it.offset(), it.length(), fresh);
        float[] freshGrad = new float[model.layout().size()];
        model.backward(p, fresh, 1f, GradientSink.of(freshGrad));
        assertThat(cache.items()).isEqualTo(1);
        assertThat(loss).isEqualTo(freshLoss);
        assertThat(grad).containsExactly(freshGrad);
    }

    @Test
    void groupLargerThanTheCache_isRefusedWithWhatTheCacheHolds_andCannotRunBackward() {
        Transformer model = new Transformer(TINY, new ReferenceKernels());
        float[] p = TransformerGradientTest.spreadParams(model, 5);
        WorkItem[] items = items(TINY, 9);
        ActivationCache cache = model.newCache(TINY.seq() + 8, new MemoryLedger());

        assertThatThrownBy(() -> model.forward(p, items, 3, cache, new float[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("length: " + (TINY.seq() - 3) + "; expected 1..8 (the cache holds " + TINY.seq() + " of its "
                        + (TINY.seq() + 8) + " positions)");
        assertThatThrownBy(() -> model.backward(p, cache, 1f, GradientSink.of(new float[model.layout().size()])))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> model.forward(p, items, 0, cache, new float[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("count: 0;");
    }
}
