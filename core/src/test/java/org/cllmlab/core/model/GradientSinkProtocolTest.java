package org.cllmlab.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cllmlab.core.kernel.ReferenceKernels;
import org.cllmlab.core.memory.MemoryLedger;
import org.junit.jupiter.api.Test;

class GradientSinkProtocolTest {

    private static final ModelConfig SMALL = TransformerGradientTest.SMALL;

    /** Records every open and close; hands out the full buffer. */
    private static final class RecordingSink implements GradientSink {
        final List<String> events = new ArrayList<>();
        final float[] buffer;
        GradientView open;

        RecordingSink(float[] buffer) {
            this.buffer = buffer;
        }

        @Override
        public GradientView open(ParameterLayout.Segment segment) {
            assertThat(open).as("a segment is already open").isNull();
            events.add("open " + segment.name());
            open = new GradientView(buffer, 0);
            return open;
        }

        @Override
        public void close(ParameterLayout.Segment segment, GradientView view) {
            assertThat(view).isSameAs(open);
            events.add("close " + segment.name());
            open = null;
        }
    }

    /** Adds into a fresh per-segment scratch (base = segment offset), folded into the full buffer on close. */
    private static final class ScratchSink implements GradientSink {
        final float[] buffer;

        ScratchSink(float[] buffer) {
            this.buffer = buffer;
        }

        @Override
        public GradientView open(ParameterLayout.Segment segment) {
            return new GradientView(new float[segment.length()], segment.offset());
        }

        @Override
        public void close(ParameterLayout.Segment segment, GradientView view) {
            float[] scratch = view.array();
            for (int i = 0; i < segment.length(); i++) {
                buffer[segment.offset() + i] += scratch[i];
            }
        }
    }

    @Test
    void backward_recordingSink_opensAndClosesEachSegmentInPairsInBackwardOrder() {
        Transformer model = new Transformer(SMALL, new ReferenceKernels());
        float[] p = TransformerGradientTest.spreadParams(model, 1);
        SplittableRandom rnd = new SplittableRandom(8);
        int[] tokens = TransformerGradientTest.randomTokens(rnd, SMALL.seq(), SMALL.vocab());
        ActivationCache cache = model.newCache(SMALL.seq(), new MemoryLedger());
        model.forward(p, tokens, tokens, 0, SMALL.seq(), cache);
        RecordingSink sink = new RecordingSink(new float[p.length]);

        model.backward(p, cache, 1f, sink);

        assertThat(sink.events).containsExactly(
                "open embeddings", "close embeddings",
                "open final-norm", "close final-norm",
                "open block1", "close block1",
                "open block0", "close block0",
                "open embeddings", "close embeddings");
    }

    @Test
    void backward_perSegmentScratchSink_matchesFullBufferSinkExactly() {
        Transformer model = new Transformer(SMALL, new ReferenceKernels());
        float[] p = TransformerGradientTest.spreadParams(model, 4);
        // Distinct tokens: each token-embedding row then receives one lookup addition, so the order in
        // which the head and lookup contributions meet is the same for both sinks and the sums are bitwise equal.
        int[] tokens = {3, 0, 9, 5, 1, 10, 7, 2};
        int[] targets = {0, 9, 5, 1, 10, 7, 2, 4};
        ActivationCache cache = model.newCache(SMALL.seq(), new MemoryLedger());
        model.forward(p, tokens, targets, 0, SMALL.seq(), cache);
        float[] full = new float[p.length];
        float[] viaScratch = new float[p.length];

        model.backward(p, cache, 0.5f, GradientSink.of(full));
        model.backward(p, cache, 0.5f, new ScratchSink(viaScratch));

        assertArrayEquals(full, viaScratch);
        assertThat(TransformerGradientTest.maxAbs(full, 0, full.length)).isGreaterThan(0);
    }

    @Test
    void backward_addsIntoExistingGradient() {
        Transformer model = new Transformer(SMALL, new ReferenceKernels());
        float[] p = TransformerGradientTest.spreadParams(model, 4);
        SplittableRandom rnd = new SplittableRandom(8);
        int[] tokens = TransformerGradientTest.randomTokens(rnd, SMALL.seq(), SMALL.vocab());
        ActivationCache cache = model.newCache(SMALL.seq(), new MemoryLedger());
        model.forward(p, tokens, tokens, 0, SMALL.seq(), cache);
        float[] once = new float[p.length];
        float[] twice = new float[p.length];

        model.backward(p, cache, 1f, GradientSink.of(once));
        model.backward(p, cache, 1f, GradientSink.of(twice));
        model.backward(p, cache, 1f, GradientSink.of(twice));

        for (int i = 0; i < p.length; i++) {
            assertThat(twice[i]).isCloseTo(2 * once[i], org.assertj.core.data.Offset.offset(1e-6f + 1e-5f * Math.abs(once[i])));
        }
    }
}
