package org.cllmlab.experiments.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.cllmlab.core.kernel.Kernels;

/**
 * Kernel speed as a share of this machine's peak, measured the way a noisy 2-vCPU machine allows: the
 * products of {@link SeedProducts} and the register-resident FMA loop of
 * {@link PeakFlopsBenchmark#registers} run <em>interleaved</em> in one JVM, round after round, and each
 * product's GFLOP/s is divided by the mean of the peak measured just before and just after it. A clock or
 * neighbour change then moves both sides of a ratio, and the median ratio over the rounds is quoted with
 * its range.
 *
 * <p>Each round also measures the two-core ceiling the same way: the FMA loop on two threads at once
 * against one thread alone, which is the most any parallel speed-up on this machine can reach.
 *
 * <p>Right after each product an <em>issue probe</em> runs: six chains of integer operations, no memory and
 * no floating point, whose speed is what the core's front end and integer units leave to this thread. On
 * a virtual machine whose vCPU shares a physical core with another tenant's busy hardware thread, that
 * probe slows by up to 1.7×, and so do the matrix products (they issue about three instructions per
 * fused multiply-add), while the FMA loop, which needs few issue slots, hardly moves. So each product
 * sample also carries the probe's speed relative to its fastest slice in the run, and the products are
 * quoted twice: over all rounds, and over the <em>quiet</em> rounds alone, those whose probe ran at
 * {@value #QUIET} or more of its best. The quiet figure says what the kernel does on a core of its own;
 * the overall one, what this run's machine gave it.
 *
 * <p>All figures are wall-time GFLOP/s of one thread (an FMA counts as two FLOP) unless stated.
 */
public final class KernelEfficiency {

    /** FLOP of one call of the peak loop (192 M: about 2 ms at 90 GFLOP/s, so a slice holds many calls). */
    private static final double PEAK_FLOPS = 2.0 * PeakFlopsBenchmark.REGISTER_CHAINS
            * PeakFlopsBenchmark.REGISTER_LANE_ITERS;

    /** The issue probe's share of its best at or above which a sample counts as quiet. */
    public static final double QUIET = 0.9;

    /** Iterations of the issue probe per call (about 1 ms). */
    private static final long PROBE_ITERS = 1_000_000L;

    private final List<Kernels> kernels;
    private final int rounds;
    private final long sliceNanos;
    private final SeedProducts.Operands operands = new SeedProducts.Operands(1);
    private volatile float sink;

    /**
     * @param kernels the kernels to time
     * @param rounds  measured rounds (each times every kernel and product once)
     * @param sliceMillis how long each single measurement runs
     */
    public KernelEfficiency(List<Kernels> kernels, int rounds, int sliceMillis) {
        if (kernels.isEmpty() || rounds < 1 || sliceMillis < 1) {
            throw new IllegalArgumentException("efficiency: need a kernel, rounds >= 1 and a slice >= 1 ms");
        }
        this.kernels = List.copyOf(kernels);
        this.rounds = rounds;
        this.sliceNanos = sliceMillis * 1_000_000L;
    }

    /** The median, smallest and largest of a series. */
    public record Spread(double median, double min, double max) {
        static Spread of(List<Double> xs) {
            double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = s.length;
            double med = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
            return new Spread(med, s[0], s[n - 1]);
        }
    }

    /**
     * One product under one kernel: its GFLOP/s and its share of the adjacent peak, over all rounds and
     * over the quiet ones ({@code quietShareOfPeak} is null when no round was quiet).
     *
     * @param quietRounds how many of the rounds were quiet for this product
     */
    public record ProductResult(String kernel, String product, String description, Spread gflops, Spread shareOfPeak,
                                int quietRounds, Spread quietShareOfPeak) {
    }

    /**
     * The whole measurement.
     *
     * @param peakGflops one thread's register FMA loop, GFLOP/s
     * @param twoCoreCeiling two threads' FMA throughput over one thread's, measured back to back
     * @param issueProbe the issue probe's speed after each product, as a share of its fastest slice
     */
    public record Result(int rounds, int sliceMillis, Spread peakGflops, Spread twoCoreCeiling, Spread issueProbe,
                         List<ProductResult> products) {
    }

    /**
     * Warms every kernel and the peak loop up, then measures {@code rounds} interleaved rounds.
     *
     * @param progress told after each round (the round number, from 1)
     */
    public Result run(java.util.function.IntConsumer progress) throws InterruptedException {
        for (int w = 0; w < 2; w++) {
            peakGflops();
            issueRate();
            for (Kernels k : kernels) {
                for (SeedProducts p : SeedProducts.values()) {
                    productGflops(k, p);
                }
            }
            twoCoreRatio();
        }
        List<Double> peaks = new ArrayList<>();
        List<Double> ceilings = new ArrayList<>();
        List<Double> probes = new ArrayList<>();
        Map<String, List<Double>> gflops = new LinkedHashMap<>();
        Map<String, List<Double>> shares = new LinkedHashMap<>();
        Map<String, List<Double>> probeAfter = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            double before = peakGflops();
            peaks.add(before);
            for (Kernels k : kernels) {
                for (SeedProducts p : SeedProducts.values()) {
                    double g = productGflops(k, p);
                    double probe = issueRate();
                    double after = peakGflops();
                    peaks.add(after);
                    probes.add(probe);
                    String key = k.name() + "/" + p.id();
                    gflops.computeIfAbsent(key, x -> new ArrayList<>()).add(g);
                    shares.computeIfAbsent(key, x -> new ArrayList<>()).add(g / ((before + after) / 2));
                    probeAfter.computeIfAbsent(key, x -> new ArrayList<>()).add(probe);
                    before = after;
                }
            }
            ceilings.add(twoCoreRatio());
            progress.accept(r + 1);
        }
        double bestProbe = probes.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        List<ProductResult> out = new ArrayList<>();
        for (Kernels k : kernels) {
            for (SeedProducts p : SeedProducts.values()) {
                String key = k.name() + "/" + p.id();
                List<Double> share = shares.get(key);
                List<Double> quiet = new ArrayList<>();
                for (int i = 0; i < share.size(); i++) {
                    if (probeAfter.get(key).get(i) >= QUIET * bestProbe) {
                        quiet.add(share.get(i));
                    }
                }
                out.add(new ProductResult(k.name(), p.id(), p.description(), Spread.of(gflops.get(key)),
                        Spread.of(share), quiet.size(), quiet.isEmpty() ? null : Spread.of(quiet)));
            }
        }
        return new Result(rounds, (int) (sliceNanos / 1_000_000), Spread.of(peaks), Spread.of(ceilings),
                Spread.of(probes.stream().map(x -> x / bestProbe).toList()), out);
    }

    /** GFLOP/s of one product, calling it until a slice has passed. */
    private double productGflops(Kernels k, SeedProducts p) {
        long calls = 0;
        long t0 = System.nanoTime();
        long t;
        float s = 0;
        do {
            float[] r = p.run(k, operands);
            s += r[0];
            calls++;
            t = System.nanoTime() - t0;
        } while (t < sliceNanos);
        sink = s;
        return p.flops() * (double) calls / t;
    }

    /** GFLOP/s of the register FMA loop on this thread, run until a slice has passed. */
    private double peakGflops() {
        long calls = 0;
        long t0 = System.nanoTime();
        long t;
        do {
            sink = PeakFlopsBenchmark.registerChains(0.999999f, 1e-7f);
            calls++;
            t = System.nanoTime() - t0;
        } while (t < sliceNanos);
        return PEAK_FLOPS * calls / t;
    }

    /** Issue-probe iterations per nanosecond on this thread, run until a slice has passed. */
    private double issueRate() {
        long calls = 0;
        long t0 = System.nanoTime();
        long t;
        long s = 0;
        do {
            s += issueChains(PROBE_ITERS, calls);
            calls++;
            t = System.nanoTime() - t0;
        } while (t < sliceNanos);
        sink = s;
        return (double) PROBE_ITERS * calls / t;
    }

    /**
     * The issue probe: six short chains of one-cycle integer operations per iteration, touching no memory
     * and no vector unit, so its speed is set by how many instructions the core issues for this thread.
     */
    static long issueChains(long iterations, long seed) {
        long a = seed;
        long b = 2;
        long c = 3;
        long d = 4;
        long e = 5;
        long f = 6;
        for (long i = 0; i < iterations; i++) {
            a += i;
            b ^= i;
            c += b;
            d ^= a;
            e += c;
            f ^= d;
        }
        return a + b + c + d + e + f;
    }

    /**
     * The FMA loop's summed throughput on two threads at once (each times its own slice, as JMH's
     * {@code @Threads(2)} does) over one thread's, measured alone just before and just after.
     */
    private double twoCoreRatio() throws InterruptedException {
        double before = peakGflops();
        double two = twoThreadGflops();
        double after = peakGflops();
        return two / ((before + after) / 2);
    }

    private double twoThreadGflops() throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(2);
        double[] gflops = new double[2];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    gflops[id] = peakGflops();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    start.reset();
                }
            }, "fma-" + i);
            t.setDaemon(true);
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("efficiency: a peak thread failed", failure.get());
        }
        return gflops[0] + gflops[1];
    }

    /** The result as aligned text lines. */
    public static List<String> table(Result r) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("peak (one thread, register FMA loop): %.1f GFLOP/s median [%.1f-%.1f] over %d samples",
                r.peakGflops().median(), r.peakGflops().min(), r.peakGflops().max(), 1 + r.rounds()
                        * r.products().size()));
        lines.add(String.format("two-core ceiling (FMA loop on 2 threads / 1 thread): %.2fx median [%.2f-%.2f]",
                r.twoCoreCeiling().median(), r.twoCoreCeiling().min(), r.twoCoreCeiling().max()));
        lines.add(String.format("issue probe after each product, share of its best: %.0f%% median [%.0f%%-%.0f%%];"
                        + " quiet rounds: probe >= %.0f%%", 100 * r.issueProbe().median(), 100 * r.issueProbe().min(),
                100 * r.issueProbe().max(), 100 * QUIET));
        lines.add(String.format("%-9s %-21s %-26s %24s %22s %24s", "kernel", "product", "shape", "GFLOP/s median [range]",
                "share of peak [range]", "quiet rounds: share [n]"));
        for (ProductResult p : r.products()) {
            String quiet = p.quietShareOfPeak() == null ? String.format("%19s [%2d]", "-", 0)
                    : String.format("%8.0f%% [%3.0f%%-%3.0f%%] [%2d]", 100 * p.quietShareOfPeak().median(),
                    100 * p.quietShareOfPeak().min(), 100 * p.quietShareOfPeak().max(), p.quietRounds());
            lines.add(String.format("%-9s %-21s %-26s %8.1f [%5.1f-%5.1f] %8.0f%% [%3.0f%%-%3.0f%%] %s", p.kernel(),
                    p.product(), p.description(), p.gflops().median(), p.gflops().min(), p.gflops().max(),
                    100 * p.shareOfPeak().median(), 100 * p.shareOfPeak().min(), 100 * p.shareOfPeak().max(), quiet));
        }
        return lines;
    }
}
