package org.cllmlab.reports.predict;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DiagonalMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularMatrixException;
import org.apache.commons.math3.util.Pair;

/**
 * Gunther's Universal Scalability Law fitted to measured throughput, with its intervals:
 * {@code X(N) = λN / (1 + σ(N−1) + κN(N−1))}, σ the contention, κ the coherency (crosstalk) cost, λ the
 * throughput of one core. A fit, not a model of the step: it says how the measured points bend, and
 * extrapolating it assumes that no new limit appears beyond them (as the R package {@code usl} warns).
 *
 * <p><b>How.</b> Levenberg–Marquardt (Commons Math) on every run's throughput, not on means, with relative
 * residuals ({@code (X_i − X(N_i)) / X_i}: the spread of throughput grows with it), σ and κ kept at 0 or
 * above as in the R package. The covariance is {@code s² (JᵀJ)⁻¹} with {@code s²} the residuals' variance on
 * {@code n − 3} degrees of freedom, the parameters' 95% intervals are Student-t (cut at 0 below), and the band of the speedup
 * at N is the delta method's on (σ, κ) (λ cancels in a speedup): a confidence band for the fitted curve,
 * not for a new run.
 *
 * <p><b>Too few points.</b> It refuses fewer than {@value #MIN_POINTS} runs or fewer than
 * {@value #MIN_CORE_COUNTS} distinct core counts. Six points, as usl4j, leave three residual degrees of
 * freedom for the three parameters, enough for a variance with a Student-t factor of 3.2 rather than 12.7
 * (one degree) or infinite (none). Four core counts, because repetitions at the same counts measure noise,
 * not the curve's shape: with three counts, three parameters pass through the three means whatever the
 * law. A two-core machine can never fit one, and that is the honest answer there.
 */
public final class Usl {

    /** The fewest runs a fit accepts. */
    public static final int MIN_POINTS = 6;
    /** The fewest distinct core counts a fit accepts. */
    public static final int MIN_CORE_COUNTS = 4;
    private static final double CONFIDENCE = 0.95;

    private Usl() {
    }

    /** One run: its core count and its measured throughput (any unit, the same for all points). */
    public record Point(int cores, double throughput) {
    }

    /** A value with its 95% interval. */
    public record Interval(double value, double low, double high) {
    }

    /**
     * A fit and its uncertainty.
     *
     * @param lambda     throughput at one core
     * @param sigma      contention σ, with its 95% interval {@code sigmaLow .. sigmaHigh}
     * @param kappa      coherency κ, with its 95% interval {@code kappaLow .. kappaHigh}
     * @param varSigma   σ's variance
     * @param varKappa   κ's variance
     * @param covariance the covariance of σ and κ
     * @param points     runs fitted
     * @param coreCounts distinct core counts among them
     * @param largest    the largest core count fitted
     * @param residualSd the relative residuals' standard deviation (on {@code points − 3} degrees of freedom)
     * @param t          the Student-t factor of the intervals
     */
    public record Fit(double lambda, double sigma, double sigmaLow, double sigmaHigh, double kappa, double kappaLow,
                      double kappaHigh, double varSigma, double varKappa, double covariance, int points, int coreCounts,
                      int largest, double residualSd, double t) {

        /** The fitted speedup at {@code n} cores over {@code reference} cores. */
        public double speedup(double n, double reference) {
            return capacity(sigma, kappa, n) / capacity(sigma, kappa, reference);
        }

        /** The speedup at {@code n} over {@code reference} with its 95% band (delta method on σ and κ). */
        public Interval band(double n, double reference) {
            double s = speedup(n, reference);
            double dn = denominator(sigma, kappa, n);
            double dr = denominator(sigma, kappa, reference);
            double gSigma = s * ((reference - 1) / dr - (n - 1) / dn);
            double gKappa = s * (reference * (reference - 1) / dr - n * (n - 1) / dn);
            double var = gSigma * gSigma * varSigma + gKappa * gKappa * varKappa + 2 * gSigma * gKappa * covariance;
            double half = t * Math.sqrt(Math.max(0, var));
            return new Interval(s, s - half, s + half);
        }

        /** The core count at which the fitted throughput peaks, {@code √((1 − σ)/κ)} (infinite when κ = 0). */
        public double peak() {
            return kappa > 0 ? Math.sqrt((1 - sigma) / kappa) : Double.POSITIVE_INFINITY;
        }
    }

    /** {@code C(N) = N / (1 + σ(N−1) + κN(N−1))}: the USL's relative capacity. */
    public static double capacity(double sigma, double kappa, double n) {
        return n / denominator(sigma, kappa, n);
    }

    private static double denominator(double sigma, double kappa, double n) {
        return 1 + sigma * (n - 1) + kappa * n * (n - 1);
    }

    /** The fit to {@code points}, or why there is none. */
    public static Attempt<Fit> fit(List<Point> points) {
        int n = points.size();
        int counts = (int) points.stream().mapToInt(Point::cores).distinct().count();
        if (n < MIN_POINTS || counts < MIN_CORE_COUNTS) {
            return Attempt.refused(n + (n == 1 ? " run" : " runs") + " at " + counts + " core "
                    + (counts == 1 ? "count" : "counts") + ": a fit of the USL's three parameters needs at least "
                    + MIN_POINTS + " runs at " + MIN_CORE_COUNTS + " or more core counts");
        }
        if (points.stream().anyMatch(p -> p.cores() <= 0 || !(p.throughput() > 0))) {
            return Attempt.refused("a point has no cores or no throughput");
        }
        double[] x = points.stream().mapToDouble(Point::cores).toArray();
        double[] y = points.stream().mapToDouble(Point::throughput).toArray();
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = 1 / (y[i] * y[i]);
        }
        Point first = points.stream().min(java.util.Comparator.comparingInt(Point::cores)).orElseThrow();
        MultivariateJacobianFunction model = p -> {
            double lambda = p.getEntry(0), sigma = p.getEntry(1), kappa = p.getEntry(2);
            RealVector value = new ArrayRealVector(n);
            RealMatrix jacobian = new Array2DRowRealMatrix(n, 3);
            for (int i = 0; i < n; i++) {
                double d = denominator(sigma, kappa, x[i]);
                double f = lambda * x[i] / d;
                value.setEntry(i, f);
                jacobian.setEntry(i, 0, x[i] / d);
                jacobian.setEntry(i, 1, -f * (x[i] - 1) / d);
                jacobian.setEntry(i, 2, -f * x[i] * (x[i] - 1) / d);
            }
            return new Pair<>(value, jacobian);
        };
        LeastSquaresOptimizer.Optimum optimum;
        try {
            optimum = new LevenbergMarquardtOptimizer().optimize(new LeastSquaresBuilder()
                    .start(new double[] {first.throughput() / first.cores(), 0.01, 0.0001})
                    .model(model)
                    .target(y)
                    .weight(new DiagonalMatrix(weights))
                    .parameterValidator(p -> {
                        RealVector v = p.copy();
                        v.setEntry(1, Math.max(0, v.getEntry(1)));
                        v.setEntry(2, Math.max(0, v.getEntry(2)));
                        return v;
                    })
                    .maxEvaluations(10_000)
                    .maxIterations(10_000)
                    .build());
        } catch (MathIllegalStateException e) {
            return Attempt.refused("the least-squares fit did not converge: " + e.getMessage());
        }
        RealMatrix inverse;
        try {
            inverse = optimum.getCovariances(1e-14);
        } catch (SingularMatrixException e) {
            return Attempt.refused("the fit's parameters cannot be told apart from these points (singular covariance)");
        }
        RealVector p = optimum.getPoint();
        int dof = n - 3;
        double s2 = optimum.getCost() * optimum.getCost() / dof;
        double t = new TDistribution(null, dof).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
        double varSigma = s2 * inverse.getEntry(1, 1);
        double varKappa = s2 * inverse.getEntry(2, 2);
        double cov = s2 * inverse.getEntry(1, 2);
        double sigma = p.getEntry(1), kappa = p.getEntry(2);
        double hs = t * Math.sqrt(varSigma), hk = t * Math.sqrt(varKappa);
        int largest = points.stream().mapToInt(Point::cores).max().orElseThrow();
        // σ and κ cannot go below 0: an interval's lower end stops there
        return Attempt.of(new Fit(p.getEntry(0), sigma, Math.max(0, sigma - hs), sigma + hs, kappa, Math.max(0, kappa - hk),
                kappa + hk, varSigma,
                varKappa, cov, n, counts, largest, Math.sqrt(s2), t));
    }
}
