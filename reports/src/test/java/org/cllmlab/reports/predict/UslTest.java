package org.cllmlab.reports.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UslTest {

    private static final double SIGMA = 0.05;
    private static final double KAPPA = 0.002;

    /** Three runs at each core count, 1000 tokens/s at one core, 2% noise from {@code seed}. */
    private static List<Usl.Point> sweep(long seed, int... cores) {
        Random random = new Random(seed);
        List<Usl.Point> points = new ArrayList<>();
        for (int n : cores) {
            for (int rep = 0; rep < 3; rep++) {
                double x = 1000 * Usl.capacity(SIGMA, KAPPA, n) * (1 + 0.02 * random.nextGaussian());
                points.add(new Usl.Point(n, x));
            }
        }
        return points;
    }

    private static List<Usl.Point> noisy(int... cores) {
        return sweep(1, cores);
    }

    @Test
    void fit_noisySyntheticPoints_recoversSigmaAndKappaWithinTheirIntervals() {
        // a 95% interval misses the truth one time in twenty: over 100 noisy sweeps, it holds it at least 90 times
        int sigmaIn = 0, kappaIn = 0;
        for (long seed = 0; seed < 100; seed++) {
            Usl.Fit fit = Usl.fit(sweep(seed, 1, 2, 4, 8, 16, 32, 64)).orElseThrow();
            sigmaIn += SIGMA >= fit.sigmaLow() && SIGMA <= fit.sigmaHigh() ? 1 : 0;
            kappaIn += KAPPA >= fit.kappaLow() && KAPPA <= fit.kappaHigh() ? 1 : 0;
        }
        assertThat(sigmaIn).isBetween(90, 100);
        assertThat(kappaIn).isBetween(90, 100);

        Usl.Fit fit = Usl.fit(noisy(1, 2, 4, 8, 16, 32, 64)).orElseThrow();
        assertThat(SIGMA).isBetween(fit.sigmaLow(), fit.sigmaHigh());
        assertThat(KAPPA).isBetween(fit.kappaLow(), fit.kappaHigh());
        // and the intervals say something: narrower than the values themselves
        assertThat(fit.sigmaHigh() - fit.sigmaLow()).isLessThan(SIGMA);
        assertThat(fit.kappaHigh() - fit.kappaLow()).isLessThan(KAPPA);
        assertThat(fit.points()).isEqualTo(21);
        assertThat(fit.coreCounts()).isEqualTo(7);
        assertThat(fit.residualSd()).isCloseTo(0.02, within(0.01));
        assertThat(fit.lambda()).isCloseTo(1000, within(30.0));
    }

    @Test
    void fit_band_holdsTheTrueCurveAndIsZeroWideAtTheReference() {
        int[] at = {2, 8, 24, 48, 128};
        int[] in = new int[at.length];
        for (long seed = 0; seed < 100; seed++) {
            Usl.Fit fit = Usl.fit(sweep(seed, 1, 2, 4, 8, 16, 32)).orElseThrow();
            for (int i = 0; i < at.length; i++) {
                Usl.Interval band = fit.band(at[i], 1);
                double truth = Usl.capacity(SIGMA, KAPPA, at[i]);
                in[i] += truth >= band.low() && truth <= band.high() ? 1 : 0;
            }
        }
        for (int i = 0; i < at.length; i++) {
            assertThat(in[i]).as("sweeps whose band holds the true speedup at %d cores", at[i]).isBetween(88, 100);
        }

        Usl.Fit fit = Usl.fit(noisy(1, 2, 4, 8, 16, 32)).orElseThrow();
        Usl.Interval at1 = fit.band(1, 1);
        assertThat(at1.value()).isCloseTo(1, within(1e-12));
        assertThat(at1.high() - at1.low()).isCloseTo(0, within(1e-12));
        // beyond the points the band widens
        assertThat(fit.band(128, 1).high() - fit.band(128, 1).low())
                .isGreaterThan(fit.band(16, 1).high() - fit.band(16, 1).low());
    }

    @Test
    void fit_exactPoints_recoversTheParameters() {
        List<Usl.Point> points = new ArrayList<>();
        for (int n : new int[] {1, 2, 4, 8, 16, 32}) {
            points.add(new Usl.Point(n, 500 * Usl.capacity(SIGMA, KAPPA, n)));
        }
        Usl.Fit fit = Usl.fit(points).orElseThrow();

        assertThat(fit.sigma()).isCloseTo(SIGMA, within(1e-6));
        assertThat(fit.kappa()).isCloseTo(KAPPA, within(1e-7));
        assertThat(fit.peak()).isCloseTo(Math.sqrt((1 - SIGMA) / KAPPA), within(1e-2));
    }

    @Test
    void fit_twoCoreCounts_isRefusedWhateverTheRepetitions() {
        var a = Usl.fit(noisy(1, 2, 1, 2));

        assertThat(a.ok()).isFalse();
        assertThat(a.refusal()).isEqualTo("12 runs at 2 core counts: a fit of the USL's three parameters needs at least"
                + " 6 runs at 4 or more core counts");
    }

    @Test
    void fit_fewerThanSixRuns_isRefused() {
        List<Usl.Point> five = noisy(1, 2, 4, 8, 16).stream().filter(p -> p.throughput() > 0).limit(5).toList();

        assertThat(Usl.fit(five).refusal()).startsWith("5 runs at 2 core counts");
        assertThat(Usl.fit(List.of(new Usl.Point(1, 1000), new Usl.Point(2, 1900))).ok()).isFalse();
    }

    @Test
    void fit_threeCoreCounts_isRefused() {
        assertThat(Usl.fit(noisy(1, 2, 4)).refusal()).startsWith("9 runs at 3 core counts");
    }
}
