package org.cllmlab.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ModelFlopsTest {

    @Test
    void perToken_seedWithTheEmbeddedVocabulary_isTheHandComputedFigure() {
        ModelConfig seed = Preset.SEED.config(788);

        // Per layer 4·256² + 2·256·1024 = 786,432 matrix weights; six layers and the 788 × 256 tied head.
        assertThat(ModelFlops.matrixParameters(seed)).isEqualTo(6L * 786_432 + 788 * 256).isEqualTo(4_920_320);
        assertThat(ModelFlops.matrixProductsPerToken(seed)).isEqualTo(29_521_920);
        // 12·d FLOP per causal (query, key) pair and layer; (128 + 1) / 2 pairs per token on average.
        assertThat(ModelFlops.attentionPerToken(seed)).isEqualTo(6L * 6 * 256 * 129).isEqualTo(1_188_864);
        assertThat(ModelFlops.perToken(seed)).isEqualTo(30_710_784);
    }

    @Test
    void matrixParameters_equalTheLayoutsWeightMatricesWithTheHeadOnce() {
        ModelConfig c = new ModelConfig(192, 3, 6, 768, 96, 24, 500);
        ParameterLayout layout = new ParameterLayout(c);
        long weights = 0;
        for (ParameterLayout.Tensor t : layout.tensors()) {
            if (t.name().contains(".w_") || t.name().equals("tok_emb")) {
                weights += t.size();
            }
        }

        assertThat(ModelFlops.matrixParameters(c)).isEqualTo(weights);
    }

    @Test
    void utilisation_isFlopRateOverPeak() {
        ModelConfig seed = Preset.SEED.config(788);

        assertThat(ModelFlops.utilisation(seed, 2000, 100e9)).isCloseTo(30_710_784.0 * 2000 / 100e9, within(1e-12));
    }
}
