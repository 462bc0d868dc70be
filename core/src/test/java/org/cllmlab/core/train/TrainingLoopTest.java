package org.cllmlab.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.cllmlab.core.kernel.ReferenceKernels;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.model.ActivationCache;
import org.cllmlab.core.model.GradientSink;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.model.Preset;
import org.cllmlab.core.model.Transformer;
import org.junit.jupiter.api.Test;

/** A plain sequential loop over the public model API: forward, backward, clip, AdamW. */
class TrainingLoopTest {

    private static final int ITEMS = 3;

    private static float[] train(int steps) {
        ModelConfig config = Preset.TINY.config(16);
        Transformer model = new Transformer(config, new ReferenceKernels());
        MemoryLedger ledger = new MemoryLedger();
        float[] params = new float[model.layout().size()];
        model.initialize(params, 2024);
        float[] grads = new float[params.length];
        AdamW opt = new AdamW(model.layout(), 1e-2f, ledger);
        ActivationCache cache = model.newCache(config.seq(), ledger);
        int seq = config.seq();
        int[] tokens = new int[ITEMS * seq + 1];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 5 + i / 7) % config.vocab();
        }
        int[] inputs = Arrays.copyOf(tokens, ITEMS * seq);
        int[] targets = Arrays.copyOfRange(tokens, 1, ITEMS * seq + 1);
        float[] losses = new float[steps];
        for (int s = 0; s < steps; s++) {
            Arrays.fill(grads, 0f);
            double loss = 0;
            for (int item = 0; item < ITEMS; item++) {
                loss += model.forward(params, inputs, targets, item * seq, seq, cache);
                model.backward(params, cache, 1f / ITEMS, GradientSink.of(grads));
            }
            AdamW.clipGlobalNorm(grads, 1.0);
            opt.step(params, grads);
            losses[s] = (float) (loss / ITEMS);
        }
        return losses;
    }

    @Test
    void training_twoRunsSameSeed_giveBitwiseIdenticalLosses() {
        assertArrayEquals(train(5), train(5));
    }

    @Test
    void training_oneFixedBatch_lossDecreases() {
        float[] losses = train(12);
        assertThat(losses[losses.length - 1]).isLessThan(0.7f * losses[0]);
    }
}
