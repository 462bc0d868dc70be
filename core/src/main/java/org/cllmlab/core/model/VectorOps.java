package org.cllmlab.core.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row-wise operations of {@link Ops} on the Vector API: loaded only when {@link Ops#VECTOR} is true
 * (the JVM has {@code jdk.incubator.vector}), so a JVM without the module never resolves this class.
 *
 * <p>Each loop runs whole vectors of the preferred species and then one masked vector for the tail, so a
 * causal softmax row of any length up to the sequence stays vectorised. Sums run lane by lane and are
 * reduced at the end, so they add in a different order from the scalar code: results agree with it to
 * float rounding, not bitwise.
 *
 * <p>Everything here is built from operations that IEEE 754 defines exactly (add, multiply, fused
 * multiply-add, divide, min, max, lane moves), so a run gives bitwise the same result whether a loop is
 * interpreted, compiled by C1 or by C2: training twice with one seed in one JVM gives the same losses.
 * That rules out two conveniences of the Vector API. {@link VectorOperators#EXP} is a vector math
 * library's routine once compiled and {@code Math.exp} per lane before, and the two differ in the last
 * bit; {@code reduceLanes(ADD)} may add the lanes in any order. So {@link #exp} is Cephes' float
 * exponential (range reduction by {@code ln 2}, a degree-6 polynomial, the exponent set by integer
 * arithmetic; within 2 ulp), and lane sums use a fixed butterfly of constant permutations (a loop of
 * {@code slice} calls with a variable origin was not compiled to vector code and allocated a vector per
 * call). tanh is the same
 * clamped rational function as {@link Ops#tanh}.
 */
final class VectorOps {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private VectorOps() {
    }

    /*
     * Lane sums use a fixed butterfly, written out where a sum ends a loop: v += v moved by 1, 2, 4, 8
     * lanes (lane i takes lane i ^ w, so every lane ends up holding the total), then lane 0. The moves
     * are constant permutations, so C2 emits one instruction each, and the order of the additions is the
     * same in every JIT tier. It is written out rather than a method because a method taking a vector
     * boxes it whenever C2 declines to inline the call. The butterfly spans 16 lanes (512 bits); a wider
     * species (SVE) then adds the 16-lane groups' totals in order.
     */
    private static final VectorShuffle<Float> X1 = VectorShuffle.fromOp(S, i -> (i ^ 1) % V);
    private static final VectorShuffle<Float> X2 = VectorShuffle.fromOp(S, i -> (i ^ 2) % V);
    private static final VectorShuffle<Float> X4 = VectorShuffle.fromOp(S, i -> (i ^ 4) % V);
    private static final VectorShuffle<Float> X8 = VectorShuffle.fromOp(S, i -> (i ^ 8) % V);

    private static final float EXP_HI = 88.37626f;
    private static final float EXP_LO = -87.33654f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 · 2²³: adding it rounds to an integer held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;

    /**
     * {@code out[oo + i] = e^(x[off + i] - shift) · scale} for {@code i < n} (nothing written when
     * {@code out} is null); returns the sum of the unscaled exponentials. Cephes' {@code expf}, within 2
     * ulp, on masked vectors throughout; arguments are clamped to [-87.3, 88.4], so the result stays a
     * normal float (e^-87.3 ≈ 1.2e-38 stands in for anything smaller, which a softmax or a log-sum-exp
     * cannot tell from 0). The only place the exponential is written: a helper taking a vector would box
     * it whenever C2 declines to inline it (which it does once the helper has been compiled on its own).
     */
    static float expShift(float[] x, int off, int n, float shift, float scale, float[] out, int oo) {
        FloatVector sh = FloatVector.broadcast(S, shift);
        FloatVector sumV = FloatVector.zero(S);
        for (int i = 0; i < n; i += V) {
            VectorMask<Float> in = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, off + i, in).sub(sh).max(EXP_LO).min(EXP_HI);
            FloatVector t = v.fma(LOG2E, ROUNDER);
            FloatVector k = t.sub(ROUNDER);
            FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), v);
            r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
            p = p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
            p = p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
            p = p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
            p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
            p = p.fma(r.mul(r), r.add(1f));
            // 2^k from the integer in t's low bits: (k + 127) << 23.
            var bits = t.reinterpretAsInts().sub(0x4B400000 - 127).lanewise(VectorOperators.LSHL, 23);
            FloatVector e = p.mul(bits.reinterpretAsFloats());
            sumV = sumV.add(e, in);
            if (out != null) {
                (scale == 1f ? e : e.mul(scale)).intoArray(out, oo + i, in);
            }
        }
        if (V >= 2) {
            sumV = sumV.add(sumV.rearrange(X1));
        }
        if (V >= 4) {
            sumV = sumV.add(sumV.rearrange(X2));
        }
        if (V >= 8) {
            sumV = sumV.add(sumV.rearrange(X4));
        }
        if (V >= 16) {
            sumV = sumV.add(sumV.rearrange(X8));
        }
        float total = sumV.lane(0);
        for (int l = 16; l < V; l += 16) {
            total += sumV.lane(l);
        }
        return total;
    }

    /** {@code out[oo + i] = a[ao + i] + b[bo + i]} for {@code i < n}; {@code out} may be {@code a} or {@code b}. */
    static void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += V) {
            FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] + b[bo + i];
        }
    }

    /** One row of {@link Ops#layerNormForward}: row {@code x[o .. o+d)}, its statistics at {@code mean[t]}, {@code rstd[t]}. */
    static void layerNormRow(float[] x, int o, int d, float[] p, int gain, int bias, float[] out, float[] mean,
                             float[] rstd, int t) {
        int end = S.loopBound(d);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i < end; i += V) {
            acc = acc.add(FloatVector.fromArray(S, x, o + i));
        }
        if (V >= 2) {
            acc = acc.add(acc.rearrange(X1));
        }
        if (V >= 4) {
            acc = acc.add(acc.rearrange(X2));
        }
        if (V >= 8) {
            acc = acc.add(acc.rearrange(X4));
        }
        if (V >= 16) {
            acc = acc.add(acc.rearrange(X8));
        }
        float sum = acc.lane(0);
        for (int l = 16; l < V; l += 16) {
            sum += acc.lane(l);
        }
        for (; i < d; i++) {
            sum += x[o + i];
        }
        float mu = sum / d;
        FloatVector muV = FloatVector.broadcast(S, mu);
        acc = FloatVector.zero(S);
        for (i = 0; i < end; i += V) {
            FloatVector c = FloatVector.fromArray(S, x, o + i).sub(muV);
            acc = c.fma(c, acc);
        }
        if (V >= 2) {
            acc = acc.add(acc.rearrange(X1));
        }
        if (V >= 4) {
            acc = acc.add(acc.rearrange(X2));
        }
        if (V >= 8) {
            acc = acc.add(acc.rearrange(X4));
        }
        if (V >= 16) {
            acc = acc.add(acc.rearrange(X8));
        }
        float sq = acc.lane(0);
        for (int l = 16; l < V; l += 16) {
            sq += acc.lane(l);
        }
        for (; i < d; i++) {
            float c = x[o + i] - mu;
            sq += c * c;
        }
        float r = (float) (1.0 / Math.sqrt(sq / d + Ops.LN_EPS));
        mean[t] = mu;
        rstd[t] = r;
        FloatVector rV = FloatVector.broadcast(S, r);
        for (i = 0; i < end; i += V) {
            FloatVector xhat = FloatVector.fromArray(S, x, o + i).sub(muV).mul(rV);
            xhat.fma(FloatVector.fromArray(S, p, gain + i), FloatVector.fromArray(S, p, bias + i))
                    .intoArray(out, o + i);
        }
        for (; i < d; i++) {
            out[o + i] = (x[o + i] - mu) * r * p[gain + i] + p[bias + i];
        }
    }

    /** One row of {@link Ops#layerNormBackward}: rows at {@code o} of {@code dOut}, {@code x} and {@code dx}. */
    static void layerNormBackwardRow(float[] dOut, float[] x, int o, int d, float mu, float r, float[] p, int gain,
                                     boolean accumulate, float[] dx, float[] g, int gGain, int gBias) {
        int end = S.loopBound(d);
        FloatVector muV = FloatVector.broadcast(S, mu);
        FloatVector rV = FloatVector.broadcast(S, r);
        FloatVector sumA = FloatVector.zero(S);
        FloatVector sumB = FloatVector.zero(S);
        // Masked vectors throughout (the last one partial), so no scalar copy of this loop is needed.
        for (int i = 0; i < d; i += V) {
            VectorMask<Float> in = S.indexInRange(i, d);
            FloatVector xhat = FloatVector.fromArray(S, x, o + i, in).sub(muV).mul(rV);
            FloatVector dy = FloatVector.fromArray(S, dOut, o + i, in);
            FloatVector dxhat = dy.mul(FloatVector.fromArray(S, p, gain + i, in));
            sumA = sumA.add(dxhat);
            sumB = dxhat.fma(xhat, sumB);
            dy.fma(xhat, FloatVector.fromArray(S, g, gGain + i, in)).intoArray(g, gGain + i, in);
            dy.add(FloatVector.fromArray(S, g, gBias + i, in)).intoArray(g, gBias + i, in);
        }
        if (V >= 2) {
            sumA = sumA.add(sumA.rearrange(X1));
        }
        if (V >= 4) {
            sumA = sumA.add(sumA.rearrange(X2));
        }
        if (V >= 8) {
            sumA = sumA.add(sumA.rearrange(X4));
        }
        if (V >= 16) {
            sumA = sumA.add(sumA.rearrange(X8));
        }
        float sumDxhat = sumA.lane(0);
        for (int l = 16; l < V; l += 16) {
            sumDxhat += sumA.lane(l);
        }
        if (V >= 2) {
            sumB = sumB.add(sumB.rearrange(X1));
        }
        if (V >= 4) {
            sumB = sumB.add(sumB.rearrange(X2));
        }
        if (V >= 8) {
            sumB = sumB.add(sumB.rearrange(X4));
        }
        if (V >= 16) {
            sumB = sumB.add(sumB.rearrange(X8));
        }
        float sumDxhatXhat = sumB.lane(0);
        for (int l = 16; l < V; l += 16) {
            sumDxhatXhat += sumB.lane(l);
        }
        float meanDxhat = sumDxhat / d;
        float meanDxhatXhat = sumDxhatXhat / d;
        FloatVector mA = FloatVector.broadcast(S, meanDxhat);
        FloatVector mB = FloatVector.broadcast(S, meanDxhatXhat);
        int i = 0;
        for (; i < end; i += V) {
            FloatVector xhat = FloatVector.fromArray(S, x, o + i).sub(muV).mul(rV);
            FloatVector dxhat = FloatVector.fromArray(S, dOut, o + i).mul(FloatVector.fromArray(S, p, gain + i));
            FloatVector v = dxhat.sub(mA).sub(xhat.mul(mB)).mul(rV);
            if (accumulate) {
                v = v.add(FloatVector.fromArray(S, dx, o + i));
            }
            v.intoArray(dx, o + i);
        }
        for (; i < d; i++) {
            float xhat = (x[o + i] - mu) * r;
            float dxhat = dOut[o + i] * p[gain + i];
            float v = r * (dxhat - meanDxhat - xhat * meanDxhatXhat);
            dx[o + i] = accumulate ? dx[o + i] + v : v;
        }
    }

    /** {@link Ops#geluForward}. */
    static void geluForward(float[] h, float[] out, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += V) {
            FloatVector x = FloatVector.fromArray(S, h, i);
            FloatVector u = x.mul(Ops.GELU_AF).fma(x.mul(x), x).mul(Ops.GELU_CF);
            // tanh(u) by Ops.tanh's clamped rational function, written out here: a helper taking a vector
            // would box it whenever C2 declines to inline it.
            FloatVector tx = u.max(-Ops.TANH_CLAMP).min(Ops.TANH_CLAMP);
            FloatVector tx2 = tx.mul(tx);
            FloatVector tp = tx2.fma(Ops.TANH_A13, Ops.TANH_A11);
            tp = tx2.fma(tp, FloatVector.broadcast(S, Ops.TANH_A9));
            tp = tx2.fma(tp, FloatVector.broadcast(S, Ops.TANH_A7));
            tp = tx2.fma(tp, FloatVector.broadcast(S, Ops.TANH_A5));
            tp = tx2.fma(tp, FloatVector.broadcast(S, Ops.TANH_A3));
            tp = tx2.fma(tp, FloatVector.broadcast(S, Ops.TANH_A1));
            tp = tx.mul(tp);
            FloatVector tq = tx2.fma(Ops.TANH_B6, Ops.TANH_B4);
            tq = tx2.fma(tq, FloatVector.broadcast(S, Ops.TANH_B2));
            tq = tx2.fma(tq, FloatVector.broadcast(S, Ops.TANH_B0));
            FloatVector th = tp.div(tq);
            x.mul(0.5f).fma(th, x.mul(0.5f)).intoArray(out, i);
        }
        for (; i < n; i++) {
            float x = h[i];
            float u = Ops.GELU_CF * Math.fma(Ops.GELU_AF * x, x * x, x);
            out[i] = 0.5f * x * (1f + Ops.tanh(u));
        }
    }

    /** {@link Ops#geluBackward}; {@code dIn} may be {@code dOut}. */
    static void geluBackward(float[] h, float[] dOut, float[] dIn, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += V) {
            FloatVector x = FloatVector.fromArray(S, h, i);
            FloatVector x2 = x.mul(x);
            FloatVector u = x.mul(Ops.GELU_AF).fma(x2, x).mul(Ops.GELU_CF);
            // tanh(u) by Ops.tanh's clamped rational function, written out here: a helper taking a vector
            // would box it whenever C2 declines to inline it.
            FloatVector tx = u.max(-Ops.TANH_CLAMP).min(Ops.TANH_CLAMP);
            FloatVector tx2 = tx.mul(tx);
            FloatVector tp = tx2.fma(Ops.TANH_A13, Ops.TANH_A11);
            tp = tx2.fma(tp, FloatVector.broadcast(S, Ops.TANH_A9));
            tp = tx2.fma(tp, FloatVector.broadcast(S, Ops.TANH_A7));
            tp = tx2.fma(tp, FloatVector.broadcast(S, Ops.TANH_A5));
            tp = tx2.fma(tp, FloatVector.broadcast(S, Ops.TANH_A3));
            tp = tx2.fma(tp, FloatVector.broadcast(S, Ops.TANH_A1));
            tp = tx.mul(tp);
            FloatVector tq = tx2.fma(Ops.TANH_B6, Ops.TANH_B4);
            tq = tx2.fma(tq, FloatVector.broadcast(S, Ops.TANH_B2));
            tq = tx2.fma(tq, FloatVector.broadcast(S, Ops.TANH_B0));
            FloatVector th = tp.div(tq);

            FloatVector du = x2.fma(3f * Ops.GELU_AF, 1f).mul(Ops.GELU_CF);
            FloatVector halfX = x.mul(0.5f);
            FloatVector sech2 = th.neg().fma(th, FloatVector.broadcast(S, 1f));
            FloatVector grad = halfX.mul(sech2).fma(du, th.add(1f).mul(0.5f));
            FloatVector.fromArray(S, dOut, i).mul(grad).intoArray(dIn, i);
        }
        for (; i < n; i++) {
            float x = h[i];
            float x2 = x * x;
            float u = Ops.GELU_CF * Math.fma(Ops.GELU_AF * x, x2, x);
            float th = Ops.tanh(u);
            float du = Ops.GELU_CF * Math.fma(3f * Ops.GELU_AF, x2, 1f);
            float halfX = 0.5f * x;
            float grad = Math.fma(halfX * Math.fma(-th, th, 1f), du, 0.5f * (1f + th));
            dIn[i] = dOut[i] * grad;
        }
    }

    /**
     * Softmax of {@code a[at .. at+n)} in place, {@code n >= 1}.
     *
     * <p>Three methods that pass only scalars between them: as one method, C2's inlining budget ran out
     * before the lane sum, and handing it the vector boxed the vector (an allocation per row).
     */
    static void softmaxRow(float[] a, int at, int n) {
        float max = maxOf(a, at, n);
        float total = expShift(a, at, n, max, 1f, a, at);
        scale(a, at, n, 1f / total);
    }

    /** The largest of {@code a[at .. at+n)}, {@code n >= 1}. */
    private static float maxOf(float[] a, int at, int n) {
        FloatVector maxV = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += V) {
            maxV = maxV.max(FloatVector.fromArray(S, a, at + i));
        }
        if (i < n) {
            VectorMask<Float> tail = S.indexInRange(i, n);
            maxV = maxV.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, a, at + i, tail), tail);
        }
        return maxV.reduceLanes(VectorOperators.MAX);
    }

    /**
     * {@code a[at + i] *= f} for {@code i < n}.
     */
    private static void scale(float[] a, int at, int n, float f) {
        FloatVector inv = FloatVector.broadcast(S, f);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += V) {
            FloatVector.fromArray(S, a, at + i).mul(inv).intoArray(a, at + i);
        }
        if (i < n) {
            VectorMask<Float> tail = S.indexInRange(i, n);
            FloatVector.fromArray(S, a, at + i, tail).mul(inv).intoArray(a, at + i, tail);
        }
    }

    /** {@code dp[row + j] = p[prow + j] · (dp[row + j] - Σ dp·p)} for {@code j < n}: the softmax backward of one row. */
    static void softmaxBackwardRow(float[] p, int prow, float[] dp, int row, int n) {
        FloatVector dotV = FloatVector.zero(S);
        int i = 0;
        int end = S.loopBound(n);
        for (; i < end; i += V) {
            dotV = FloatVector.fromArray(S, dp, row + i).fma(FloatVector.fromArray(S, p, prow + i), dotV);
        }
        VectorMask<Float> tail = S.indexInRange(i, n);
        if (i < n) {
            dotV = FloatVector.fromArray(S, dp, row + i, tail).fma(FloatVector.fromArray(S, p, prow + i, tail), dotV);
        }
        if (V >= 2) {
            dotV = dotV.add(dotV.rearrange(X1));
        }
        if (V >= 4) {
            dotV = dotV.add(dotV.rearrange(X2));
        }
        if (V >= 8) {
            dotV = dotV.add(dotV.rearrange(X4));
        }
        if (V >= 16) {
            dotV = dotV.add(dotV.rearrange(X8));
        }
        float dotSum = dotV.lane(0);
        for (int l = 16; l < V; l += 16) {
            dotSum += dotV.lane(l);
        }
        FloatVector dot = FloatVector.broadcast(S, dotSum);
        for (i = 0; i < end; i += V) {
            FloatVector.fromArray(S, dp, row + i).sub(dot).mul(FloatVector.fromArray(S, p, prow + i))
                    .intoArray(dp, row + i);
        }
        if (i < n) {
            FloatVector.fromArray(S, dp, row + i, tail).sub(dot).mul(FloatVector.fromArray(S, p, prow + i, tail))
                    .intoArray(dp, row + i, tail);
        }
    }

    /** {@code log Σ exp(x[off + i])} over {@code i < n}, from the maximum; the sum in float lanes, the log in double. */
    static double logSumExp(float[] x, int off, int n) {
        FloatVector maxV = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += V) {
            maxV = maxV.max(FloatVector.fromArray(S, x, off + i));
        }
        float max = maxV.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        return max + Math.log(expShift(x, off, n, max, 1f, null, 0));
    }
}
