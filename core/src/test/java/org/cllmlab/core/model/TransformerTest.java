package org.cllmlab.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.cllmlab.core.kernel.ReferenceKernels;
import org.cllmlab.core.memory.ArrayFootprint;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.memory.MemoryLedger;
import org.junit.jupiter.api.Test;

class TransformerTest {

    private static final ModelConfig SMALL = TransformerGradientTest.SMALL;
    private final Transformer model = new Transformer(SMALL, new ReferenceKernels());

    @Test
    void initialize_sameSeed_isBitwiseIdentical() {
        float[] a = new float[model.layout().size()];
        float[] b = new float[model.layout().size()];
        float[] c = new float[model.layout().size()];
        model.initialize(a, 42);
        model.initialize(b, 42);
        model.initialize(c, 43);

        assertArrayEquals(a, b);
        assertThat(Arrays.equals(a, c)).isFalse();
    }

    @Test
    void initialize_gainsOneBiasesZeroWeightsSmall() {
        Transformer tiny = new Transformer(Preset.TINY.config(50), new ReferenceKernels());
        float[] p = new float[tiny.layout().size()];
        tiny.initialize(p, 1);
        ParameterLayout layout = tiny.layout();

        for (ParameterLayout.Tensor t : layout.tensors()) {
            float[] values = Arrays.copyOfRange(p, t.offset(), t.offset() + t.size());
            if (t.name().endsWith(".gain")) {
                assertThat(values).as(t.name()).containsOnly(1f);
            } else if (t.rows() == 1) {
                assertThat(values).as(t.name()).containsOnly(0f);
            } else {
                double expected = t.name().endsWith("w_proj") || t.name().endsWith("w_fc2")
                        ? 0.02 / Math.sqrt(2 * layout.config().layers()) : 0.02;
                assertThat(std(values)).as(t.name()).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(15));
            }
        }
    }

    @Test
    void forwardOnlyCache_givesTheSameLossAndLogitsBitwise_inAFractionOfTheMemory_andRefusesBackward() {
        float[] p = TransformerGradientTest.spreadParams(model, 11);
        int seq = SMALL.seq();
        int[] tokens = new int[seq + 1];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 7 + 3) % SMALL.vocab();
        }
        int[] targets = Arrays.copyOfRange(tokens, 1, seq + 1);
        MemoryLedger fullLedger = new MemoryLedger();
        MemoryLedger forwardLedger = new MemoryLedger();
        ActivationCache full = model.newCache(seq, fullLedger);
        ActivationCache forwardOnly = model.newForwardCache(seq, forwardLedger);

        float a = model.forward(p, tokens, targets, 0, seq, full);
        float b = model.forward(p, tokens, targets, 0, seq, forwardOnly);
        float[] la = new float[seq * SMALL.vocab()];
        float[] lb = new float[seq * SMALL.vocab()];
        model.logits(p, tokens, 0, seq, full, la);
        model.logits(p, tokens, 0, seq, forwardOnly, lb);

        assertThat(Float.floatToIntBits(b)).isEqualTo(Float.floatToIntBits(a));
        assertArrayEquals(la, lb);
        assertThat(forwardOnly.forwardOnly()).isTrue();
        assertThat(forwardOnly.footprintBytes()).isLessThan(full.footprintBytes() / 2);
        assertThat(forwardLedger.totalBytes()).isEqualTo(forwardOnly.footprintBytes());
        model.forward(p, tokens, targets, 0, seq, forwardOnly);
        assertThatThrownBy(() -> model.backward(p, forwardOnly, 1f, GradientSink.of(new float[p.length])))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("forward-only");
    }

    @Test
    void logits_changingALaterToken_leavesEarlierPositionsBitwiseUnchanged() {
        float[] p = TransformerGradientTest.spreadParams(model, 9);
        int[] tokens = {1, 4, 7, 2, 9, 3, 0, 5};
        int[] changed = tokens.clone();
        int at = 5;
        changed[at] = 8;
        ActivationCache cache = model.newCache(SMALL.seq(), new MemoryLedger());
        int v = SMALL.vocab();
        float[] before = new float[SMALL.seq() * v];
        float[] after = new float[SMALL.seq() * v];

        model.logits(p, tokens, 0, SMALL.seq(), cache, before);
        model.logits(p, changed, 0, SMALL.seq(), cache, after);

        assertArrayEquals(Arrays.copyOf(before, at * v), Arrays.copyOf(after, at * v));
        for (int t = at; t < SMALL.seq(); t++) {
            assertThat(Arrays.copyOfRange(after, t * v, (t + 1) * v)).as("position %d", t)
                    .isNotEqualTo(Arrays.copyOfRange(before, t * v, (t + 1) * v));
        }
    }

    @Test
    void logits_shorterPrefix_equalsPrefixOfLongerPass() {
        float[] p = TransformerGradientTest.spreadParams(model, 9);
        int[] tokens = {1, 4, 7, 2, 9, 3, 0, 5};
        ActivationCache cache = model.newCache(SMALL.seq(), new MemoryLedger());
        int v = SMALL.vocab();
        float[] full = new float[SMALL.seq() * v];
        float[] prefix = new float[3 * v];

        model.logits(p, tokens, 0, SMALL.seq(), cache, full);
        model.logits(p, tokens, 0, 3, cache, prefix);

        assertThat(prefix).containsExactly(Arrays.copyOf(full, 3 * v), org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void forwardBackward_repeated_givesBitwiseIdenticalLossAndGradients() {
        float[] p = new float[model.layout().size()];
        model.initialize(p, 3);
        SplittableRandom rnd = new SplittableRandom(5);
        int[] tokens = TransformerGradientTest.randomTokens(rnd, SMALL.seq(), SMALL.vocab());
        int[] targets = TransformerGradientTest.randomTokens(rnd, SMALL.seq(), SMALL.vocab());
        ActivationCache first = model.newCache(SMALL.seq(), new MemoryLedger());
        ActivationCache second = model.newCache(4 * SMALL.seq(), new MemoryLedger());
        float[] g1 = new float[p.length];
        float[] g2 = new float[p.length];

        float loss1 = model.forward(p, tokens, targets, 0, SMALL.seq(), first);
        model.backward(p, first, 1f, GradientSink.of(g1));
        float loss2 = model.forward(p, tokens, targets, 0, SMALL.seq(), second);
        model.backward(p, second, 1f, GradientSink.of(g2));

        assertThat(Float.floatToIntBits(loss1)).isEqualTo(Float.floatToIntBits(loss2));
        assertArrayEquals(g1, g2);
        // A freshly initialised model is close to uniform over the vocabulary.
        assertThat((double) loss1).isCloseTo(Math.log(SMALL.vocab()), org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void forward_concurrentThreadsOnOwnCaches_matchSequentialResults() throws Exception {
        float[] p = TransformerGradientTest.spreadParams(model, 12);
        SplittableRandom rnd = new SplittableRandom(6);
        int threads = 4;
        int[][] tokens = new int[threads][];
        int[][] targets = new int[threads][];
        float[][] expected = new float[threads][p.length];
        for (int w = 0; w < threads; w++) {
            tokens[w] = TransformerGradientTest.randomTokens(rnd, SMALL.seq(), SMALL.vocab());
            targets[w] = TransformerGradientTest.randomTokens(rnd, SMALL.seq(), SMALL.vocab());
            ActivationCache c = model.newCache(SMALL.seq(), new MemoryLedger());
            model.forward(p, tokens[w], targets[w], 0, SMALL.seq(), c);
            model.backward(p, c, 1f, GradientSink.of(expected[w]));
        }
        float[][] actual = new float[threads][p.length];
        List<Thread> running = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int id = w;
            running.add(Thread.ofPlatform().start(() -> {
                ActivationCache c = model.newCache(SMALL.seq(), new MemoryLedger());
                for (int rep = 0; rep < 20; rep++) {
                    Arrays.fill(actual[id], 0f);
                    model.forward(p, tokens[id], targets[id], 0, SMALL.seq(), c);
                    model.backward(p, c, 1f, GradientSink.of(actual[id]));
                }
            }));
        }
        for (Thread t : running) {
            t.join();
        }

        for (int w = 0; w < threads; w++) {
            assertArrayEquals(expected[w], actual[w], "worker " + w);
        }
    }

    @Test
    void newCache_ledgerBytes_equalFootprintOfEveryArray() throws IllegalAccessException {
        ModelConfig config = Preset.TINY.config(37);
        Transformer tiny = new Transformer(config, new ReferenceKernels());
        MemoryLedger ledger = new MemoryLedger();
        int capacity = config.seq() * 3;

        ActivationCache cache = tiny.newCache(capacity, ledger);

        long activations = 0;
        long workspace = 0;
        for (Field f : ActivationCache.class.getDeclaredFields()) {
            f.setAccessible(true);
            Object value = f.get(cache);
            long bytes = 0;
            if (value instanceof float[] a) {
                bytes = ArrayFootprint.floats(a.length);
            } else if (value instanceof int[] a) {
                bytes = ArrayFootprint.ints(a.length);
            } else if (value instanceof long[] a) {
                bytes = ArrayFootprint.longs(a.length);
            } else if (value instanceof float[][] aa) {
                bytes = ArrayFootprint.references(aa.length);
                for (float[] a : aa) {
                    bytes += ArrayFootprint.floats(a.length);
                }
            }
            if (f.getName().startsWith("d") && value instanceof float[] || value instanceof long[]) {
                workspace += bytes;
            } else {
                activations += bytes;
            }
        }
        assertThat(ledger.bytes(Category.ACTIVATIONS)).isEqualTo(activations);
        assertThat(ledger.bytes(Category.WORKSPACE)).isEqualTo(workspace);
        assertThat(cache.footprintBytes()).isEqualTo(activations + workspace);
        assertThat(ledger.totalBytes()).isEqualTo(activations + workspace);
        // Every per-position buffer is sized by the capacity.
        assertThat(cache.logits.length).isEqualTo(capacity * config.vocab());
        assertThat(cache.att[0].length).isEqualTo(config.heads() * capacity * config.seq());
    }

    @Test
    void newCache_capacityBelowSeq_isRejected() {
        assertThatThrownBy(() -> model.newCache(SMALL.seq() - 1, new MemoryLedger()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacityRows");
    }

    @Test
    void forward_lengthAboveSeq_isRejected() {
        ActivationCache cache = model.newCache(2 * SMALL.seq(), new MemoryLedger());
        int[] tokens = new int[2 * SMALL.seq()];
        float[] p = new float[model.layout().size()];
        assertThatThrownBy(() -> model.forward(p, tokens, tokens, 0, SMALL.seq() + 1, cache))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
    }

    @Test
    void backward_withoutForward_isRejected() {
        ActivationCache cache = model.newCache(SMALL.seq(), new MemoryLedger());
        float[] p = new float[model.layout().size()];
        assertThatThrownBy(() -> model.backward(p, cache, 1f, GradientSink.of(new float[p.length])))
                .isInstanceOf(IllegalStateException.class);
    }

    private static double std(float[] values) {
        double mean = 0;
        for (float v : values) {
            mean += v;
        }
        mean /= values.length;
        double var = 0;
        for (float v : values) {
            var += (v - mean) * (v - mean);
        }
        return Math.sqrt(var / values.length);
    }
}
