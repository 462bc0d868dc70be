package org.cllmlab.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.function.IntToDoubleFunction;

/**
 * Central finite differences on float inputs, compared with an analytic gradient. The objective is
 * evaluated in double where it can be; the perturbation is applied to the float input, and the step is
 * the difference of the two perturbed floats actually stored, so rounding of {@code x ± eps} does not bias
 * the estimate.
 */
final class GradCheck {

    /** One coordinate whose analytic and numeric derivative disagree beyond the tolerance. */
    record Mismatch(String label, int index, double analytic, double numeric) {
    }

    private final double eps;
    private final double atol;
    private final double rtol;
    private double worstRelative;

    GradCheck(double eps, double atol, double rtol) {
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
    }

    /** The largest {@code |a - n| / (atol + rtol·max(|a|, |n|))} seen so far; above 1 means a mismatch. */
    double worstRatio() {
        return worstRelative;
    }

    double numeric(float[] x, int i, DoubleSupplier objective) {
        float saved = x[i];
        float plus = (float) (saved + eps);
        float minus = (float) (saved - eps);
        x[i] = plus;
        double fp = objective.getAsDouble();
        x[i] = minus;
        double fm = objective.getAsDouble();
        x[i] = saved;
        return (fp - fm) / ((double) plus - (double) minus);
    }

    /** Checks the given coordinates of {@code x}; {@code analytic} maps an index of {@code x} to its derivative. */
    List<Mismatch> check(String label, float[] x, int[] indices, DoubleSupplier objective, IntToDoubleFunction analytic) {
        List<Mismatch> out = new ArrayList<>();
        for (int i : indices) {
            double n = numeric(x, i, objective);
            double a = analytic.applyAsDouble(i);
            double ratio = Math.abs(a - n) / (atol + rtol * Math.max(Math.abs(a), Math.abs(n)));
            worstRelative = Math.max(worstRelative, ratio);
            if (!(ratio <= 1.0)) {
                out.add(new Mismatch(label, i, a, n));
            }
        }
        return out;
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** {@code count} distinct-ish indices in [from, to), always including the first and last. */
    static int[] sample(SplittableRandom rnd, int from, int to, int count) {
        if (to - from <= count) {
            return range(from, to);
        }
        int[] r = new int[count];
        r[0] = from;
        r[1] = to - 1;
        for (int i = 2; i < count; i++) {
            r[i] = rnd.nextInt(from, to);
        }
        return r;
    }

    static float[] gaussian(SplittableRandom rnd, int n, double std) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (std * gaussian(rnd));
        }
        return x;
    }

    static double gaussian(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Σ a[i]·r[i] over the first n entries, in double: a scalar objective whose gradient w.r.t. a is r. */
    static double dot(float[] a, float[] r, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) a[i] * r[i];
        }
        return s;
    }
}
