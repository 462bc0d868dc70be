package org.cllmlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.cllmlab.core.kernel.Kernels;
import org.junit.jupiter.api.Test;

class KernelEfficiencyTest {

    @Test
    void spread_oddAndEvenCounts_giveMedianAndExtremes() {
        assertThat(KernelEfficiency.Spread.of(List.of(3.0, 1.0, 2.0)))
                .isEqualTo(new KernelEfficiency.Spread(2.0, 1.0, 3.0));
        assertThat(KernelEfficiency.Spread.of(List.of(4.0, 1.0, 2.0, 3.0)))
                .isEqualTo(new KernelEfficiency.Spread(2.5, 1.0, 4.0));
    }

    @Test
    void run_oneShortRound_measuresEveryProductOfEveryKernelAgainstThePeak() throws Exception {
        List<Integer> rounds = new ArrayList<>();
        KernelEfficiency.Result r = new KernelEfficiency(List.of(Kernels.byName("blocked"), Kernels.byName("vector")),
                2, 2).run(rounds::add);

        assertThat(rounds).containsExactly(1, 2);
        assertThat(r.products()).hasSize(2 * SeedProducts.values().length);
        assertThat(r.products()).extracting(KernelEfficiency.ProductResult::kernel).containsOnly("blocked", "vector");
        assertThat(r.peakGflops().min()).isPositive();
        assertThat(r.twoCoreCeiling().min()).isPositive();
        for (KernelEfficiency.ProductResult p : r.products()) {
            assertThat(p.gflops().min()).as(p.product()).isPositive().isLessThanOrEqualTo(p.gflops().median());
            assertThat(p.gflops().median()).isLessThanOrEqualTo(p.gflops().max());
            assertThat(p.shareOfPeak().median()).as(p.product()).isPositive();
        }
        // The issue probe's fastest slice is its own best, so at least one sample is quiet.
        assertThat(r.issueProbe().max()).isEqualTo(1.0);
        assertThat(r.issueProbe().min()).isPositive();
        assertThat(r.products()).extracting(KernelEfficiency.ProductResult::quietRounds)
                .allSatisfy(n -> assertThat(n).isBetween(0, 2))
                .anySatisfy(n -> assertThat(n).isPositive());
        for (KernelEfficiency.ProductResult p : r.products()) {
            assertThat(p.quietShareOfPeak() == null).as(p.product()).isEqualTo(p.quietRounds() == 0);
        }
        assertThat(KernelEfficiency.table(r)).hasSize(4 + r.products().size())
                .anySatisfy(line -> assertThat(line).contains("vector").contains("attentionScores"));
    }

    @Test
    void new_noRoundsOrNoKernels_isRefused() {
        assertThatThrownBy(() -> new KernelEfficiency(List.of(Kernels.byName("blocked")), 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rounds");
        assertThatThrownBy(() -> new KernelEfficiency(List.of(), 1, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel");
    }

    @Test
    void issueChains_dependsOnItsSeedAndLength() {
        assertThat(KernelEfficiency.issueChains(1000, 1)).isNotEqualTo(KernelEfficiency.issueChains(1000, 2));
        assertThat(KernelEfficiency.issueChains(1000, 1)).isNotEqualTo(KernelEfficiency.issueChains(1001, 1));
    }

    @Test
    void seedProducts_flopsAreTwiceTheirMultiplyAdds() {
        assertThat(SeedProducts.LINEAR_FORWARD.flops()).isEqualTo(2L * 128 * 1024 * 256);
        assertThat(SeedProducts.ATTENTION_SCORES.flops()).isEqualTo(2L * 128 * 128 * 32);
        assertThat(SeedProducts.HEAD.flops()).isEqualTo(2L * 128 * 800 * 256);
        assertThat(SeedProducts.GROUP_BACKWARD_WEIGHT.flops()).isEqualTo(2L * 1024 * 256 * 1024);
    }
}
