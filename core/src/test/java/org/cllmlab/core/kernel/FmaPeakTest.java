package org.cllmlab.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@link FmaPeak} returns; how fast this machine is belongs to the benchmarks, not here. */
class FmaPeakTest {

    @Test
    void measure_withTwoThreads_givesFiniteRatesAndARatioOfAtMostTwoAndAHalf() {
        FmaPeak.Peak p = FmaPeak.measure(true);

        assertThat(p.singleThreadFlops()).isFinite().isPositive();
        assertThat(p.twoThreadFlops()).isFinite().isPositive();
        assertThat(p.twoThreadRatio()).isBetween(0.2, 2.5);
        assertThat(p.vectorApi()).isEqualTo(Kernels.vectorApiAvailable());
        assertThat(p.lanes()).isEqualTo(p.vectorApi() ? VectorFmaLoop.lanes() : 1);
        // A bound that catches a runaway loop, not a speed target.
        assertThat(p.nanos()).isLessThan(10_000_000_000L);
    }

    @Test
    void singleThread_leavesTheTwoThreadFigureUnmeasured() {
        FmaPeak.Peak p = FmaPeak.singleThread();

        assertThat(p.singleThreadFlops()).isFinite().isPositive();
        assertThat(p.twoThreadFlops()).isNaN();
        assertThat(p.twoThreadRatio()).isNaN();
    }

    @Test
    void chains_sumTwelveBoundedChains() {
        // With m·c tiny the chains barely move from their starts 1..12, whose sum is 78.
        assertThat(FmaPeak.scalarChains(1000, 1e-3f, 1e-3f)).isBetween(78f, 78.1f);
        assertThat(VectorFmaLoop.chains(16 * 1000, 1e-3f, 1e-3f)).isBetween(78f * VectorFmaLoop.lanes(),
                78.1f * VectorFmaLoop.lanes());
    }
}
