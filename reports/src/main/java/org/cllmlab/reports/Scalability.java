package org.cllmlab.reports;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.analysis.ParametricUnivariateFunction;
import org.apache.commons.math3.fitting.AbstractCurveFitter;
import org.apache.commons.math3.fitting.WeightedObservedPoint;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresProblem;
import org.apache.commons.math3.linear.DiagonalMatrix;

/**
 * Speedup models used to predict beyond the cores of this machine. All three are estimates, never
 * measurements; reports label their output "prediction".
 */
public final class Scalability {

    private Scalability() {
    }

    /** Amdahl's law: speedup with {@code n} workers when a share {@code s} of the work is serial. */
    public static double amdahl(double s, double n) {
        return 1.0 / (s + (1.0 - s) / n);
    }

    /**
     * Karp–Flatt experimentally determined serial fraction from one measured speedup {@code speedup} at
     * {@code n > 1} workers: {@code e = (1/S - 1/N) / (1 - 1/N)}.
     */
    public static double karpFlatt(double speedup, double n) {
        if (n <= 1) {
            return Double.NaN;
        }
        return (1.0 / speedup - 1.0 / n) / (1.0 - 1.0 / n);
    }

    /** Gunther's Universal Scalability Law: {@code C(N) = N / (1 + α(N-1) + βN(N-1))}. */
    public static double usl(double alpha, double beta, double n) {
        return n / (1.0 + alpha * (n - 1.0) + beta * n * (n - 1.0));
    }

    /** Fitted USL coefficients: contention {@code alpha}, coherency {@code beta}. */
    public record UslFit(double alpha, double beta) {
        public double at(double n) {
            return usl(alpha, beta, n);
        }
    }

    /**
     * Least-squares fit of the USL to measured (workers, speedup) points with Levenberg–Marquardt. Needs at
     * least three distinct worker counts; returns null with fewer or when the fit does not converge.
     */
    public static UslFit fitUsl(double[] workers, double[] speedups) {
        long distinct = java.util.Arrays.stream(workers).distinct().count();
        if (distinct < 3 || workers.length != speedups.length) {
            return null;
        }
        List<WeightedObservedPoint> points = new ArrayList<>();
        for (int i = 0; i < workers.length; i++) {
            points.add(new WeightedObservedPoint(1.0, workers[i], speedups[i]));
        }
        try {
            double[] p = new UslFitter().fit(points);
            return new UslFit(p[0], p[1]);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static final class UslFunction implements ParametricUnivariateFunction {
        @Override
        public double value(double n, double... p) {
            return usl(p[0], p[1], n);
        }

        @Override
        public double[] gradient(double n, double... p) {
            double d = 1.0 + p[0] * (n - 1.0) + p[1] * n * (n - 1.0);
            double common = -n / (d * d);
            return new double[] {common * (n - 1.0), common * n * (n - 1.0)};
        }
    }

    private static final class UslFitter extends AbstractCurveFitter {
        @Override
        protected LeastSquaresProblem getProblem(java.util.Collection<WeightedObservedPoint> points) {
            int len = points.size();
            double[] target = new double[len];
            double[] weights = new double[len];
            int i = 0;
            for (WeightedObservedPoint p : points) {
                target[i] = p.getY();
                weights[i] = p.getWeight();
                i++;
            }
            AbstractCurveFitter.TheoreticalValuesFunction model =
                    new AbstractCurveFitter.TheoreticalValuesFunction(new UslFunction(), points);
            return new LeastSquaresBuilder()
                    .maxEvaluations(10_000)
                    .maxIterations(10_000)
                    .start(new double[] {0.01, 0.0001})
                    .target(target)
                    .weight(new DiagonalMatrix(weights))
                    .model(model.getModelFunction(), model.getModelFunctionJacobian())
                    .build();
        }
    }
}
