package org.cllmlab.reports.predict;

import java.util.ArrayList;
import java.util.List;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.reports.predict.Calibration.LockHold;

/**
 * The time of one training step at {@code N} cores, built from what one run measured (its
 * {@link Calibration}), and the speedup that follows: a prediction, never a measurement.
 *
 * <h2>The step at N cores</h2>
 * With {@code B} items per step, {@code W} workers, compute {@code c} per item (CPU time) and {@code h_k}
 * per item under lock {@code k}, all per step:
 * <pre>
 *   T(N)       = prepare + update                      the main thread alone (measured, constant)
 *              + compute(N) + barrier                  the workers
 *              + reduction(N)                          the reduction's parts on the workers
 *
 *   compute(N) = max( items(N), locks )
 *   items(N)   = m·c·max(1, W/N) + [r > 0]·c·max(1, r/N)     m = ⌊B/W⌋, r = B mod W (m = 0, r = B when B &lt; W)
 *   locks      = max_k ( B·h_k + (c − h_k) )
 *   barrier    = max(0, compute measured − compute(calibration cores))
 *   reduction(N) = r0 + bytes(N) · price / scale(min(parts, W, N))
 *   bytes(N)   = (min(owners(N), B) − 1) · parameters · 16    owners(N) = min(N, W) when they follow the cores
 * </pre>
 * {@code items(N)} is the busiest worker's chain of {@code ⌈B/W⌉} items under fair time-sharing of the
 * cores: while more workers are busy than there are cores they share them, each at {@code N/busy} of a core;
 * so at most {@code min(W, N, B)} workers make progress at full speed, 32 items on 63 workers never go faster
 * than 32×, and a worker with one item more than the others finishes last. A lock serialises every hold of a
 * step, so the step lasts at least the sum of its holds, plus one item's work outside the lock (the first
 * item's work before it and the last item's work after it): one model lock held for the whole item makes
 * that {@code B·c}, fully serial; a lock per segment makes a pipeline whose slowest segment bounds it.
 * The reduction sums every touched buffer but the engine's own ({@code owners − 1} of them, 16 bytes per
 * float: two reads, two writes) at the bandwidth measured on this machine, on {@code min(parts, W, N)}
 * threads; {@code scale(k)} is k threads' aggregate bandwidth over one thread's, interpolated between the
 * one- and the many-thread figures the run measured, and flat per thread beyond. {@code price} is one
 * thread's time per byte, and {@code r0} whatever the calibration's reduction took beyond its bytes'
 * price (waking the workers). When the calibration's reduction ran faster than its bytes at that bandwidth
 * (its buffers sat in a cache), the price is the calibration's own and {@code r0 = 0}. The barrier term is
 * what the calibration's compute phase took beyond its items and locks: the barrier's trip, waking the
 * workers, the queues; it is kept constant.
 *
 * <p>The speedup at N is {@code T(c) / T(N)}, relative to the calibration's own {@code c} cores; at
 * {@code c} the model reproduces the calibration's step exactly (unless the measured compute phase was
 * shorter than its items, see {@link #calibrationError}).
 *
 * <h2>Analytic, not simulated</h2>
 * The model is solved in closed form. Each term is a named measurement, the hand-computed cases are exact,
 * and the breakdown ({@link #stack}) falls out of the terms. A discrete-event simulation would have to know
 * where inside an item each lock is taken (how much of the forward and backward work comes before the
 * segment's lock and after it), which no run records; its extra detail would rest on a made-up item. The price
 * of the closed form: at the crossing of two limits (say, two busy workers and a segment lock held 40% of an
 * item) it takes the larger of the two, so it misses the waits of two workers that reach the same lock at the
 * same moment, and predicts an upper bound on the speedup there.
 *
 * <h2>What it leaves out</h2>
 * <ul>
 *   <li>memory bandwidth shared by many cores beyond what the run measured (per thread, it stays at the
 *       many-thread figure), for the reduction and for the compute alike;</li>
 *   <li>cache misses that more cores, more buffers or another working set would bring (compute per item is
 *       the calibration's, whatever N);</li>
 *   <li>NUMA: every core is as close to every buffer as the calibration's were;</li>
 *   <li>frequency scaling and turbo, and hardware threads sharing a core: a core is a core;</li>
 *   <li>the JIT compiler and the garbage collector: the calibration's steady state is assumed;</li>
 *   <li>another tenant on the machine;</li>
 *   <li>the cost of time-sharing (context switches, caches refilled) when workers outnumber cores, and lock
 *       hand-offs across cores (a waiter woken on another core).</li>
 * </ul>
 */
public final class StepModel {

    /** The largest core count reports predict at. */
    public static final int MAX_CORES = 128;
    /** Bytes the reduction's loop moves per float of a buffer it sums: two reads and two writes. */
    public static final int BYTES_PER_FLOAT = 16;

    /** How the reduction's bytes are priced. */
    public enum Pricing {
        NONE("the calibration summed no buffer: its reduction's time is a fixed cost, and buffers summed at more"
                + " cores are priced at the bandwidth measured on this machine"),
        BANDWIDTH("at the bandwidth measured on this machine, plus the calibration's fixed cost"),
        CALIBRATION("at the calibration's own rate: its reduction ran faster than the measured bandwidth (its buffers sat in a cache)");

        private final String description;

        Pricing(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** The named parts of a speedup stack, in the order a report stacks them. */
    public enum Part {
        SERIAL("main thread alone (prepare, update)"),
        LOCK("lock serialisation"),
        IDLE("idle cores (fewer busy workers than cores)"),
        IMBALANCE("imbalance (uneven items per worker, workers sharing cores)"),
        REDUCTION("reduction"),
        BARRIER("barrier and wake-ups");

        private final String label;

        Part(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * The predicted step at one core count, part by part (nanoseconds per step).
     *
     * @param cores          N
     * @param busyWorkers    workers that can make progress at once, {@code min(W, N, B)}
     * @param serial         prepare + update, the main thread alone
     * @param balanced       the items spread evenly over the busy workers, {@code B·c / min(W, N, B)}
     * @param items          the busiest worker's items under fair time-sharing
     * @param lockBound      the slowest lock's holds plus one item's work outside it (0 without locks)
     * @param bottleneck     the lock that sets {@code lockBound} (null without locks)
     * @param compute        {@code max(items, lockBound)}
     * @param barrier        the calibration's compute phase beyond its items and locks, kept constant
     * @param summedBuffers  buffers the reduction adds into the engine's
     * @param reductionThreads threads the reduction's parts run on
     * @param reductionBytes bytes the reduction's loop moves
     * @param reduction      its time
     * @param total          the step
     */
    public record Step(int cores, int busyWorkers, double serial, double balanced, double items, double lockBound,
                       String bottleneck, double compute, double barrier, int summedBuffers, int reductionThreads,
                       double reductionBytes, double reduction, double total) {
    }

    /**
     * One part's share of the loss against the ideal, in units of speedup.
     *
     * @param part    which part
     * @param detail  what it is in this case (the lock's name, for a lock), or null
     * @param speedup how much speedup it costs at this core count
     */
    public record Loss(Part part, String detail, double speedup) {
    }

    /**
     * A speedup stack: the ideal speedup {@code N / c} is the predicted speedup plus the losses, part by part
     * (Eyerman, Du Bois and Eeckhout's speedup stacks). A part's loss is the time it takes beyond its
     * ideal share, {@code part(N) − part(c)·c/N}, converted to speedup as {@code (N/c) · excess / T(N)}.
     */
    public record Stack(int cores, double ideal, double speedup, List<Loss> losses) {
        public Stack {
            losses = List.copyOf(losses);
        }

        /** The loss of {@code part} (0 when it has none). */
        public double loss(Part part) {
            return losses.stream().filter(l -> l.part() == part).mapToDouble(Loss::speedup).sum();
        }
    }

    private final Calibration cal;
    private final double lockBound;
    private final String bottleneck;
    private final double barrier;
    private final double reductionFixed;
    private final double nanosPerByte;
    private final Pricing pricing;
    private final double calibrationError;
    private final Step atCalibration;

    public StepModel(Calibration calibration) {
        this.cal = calibration;
        double bound = 0;
        String slowest = null;
        for (LockHold h : cal.locks()) {
            double b = cal.items() * h.perItem() + (cal.cpuPerItem() - h.perItem());
            if (b > bound) {
                bound = b;
                slowest = h.name();
            }
        }
        this.lockBound = bound;
        this.bottleneck = slowest;
        this.barrier = Math.max(0, cal.compute() - Math.max(items(cal.cores()), lockBound));
        double bytes = bytes(cal.cores());
        double priced = bytes > 0 ? bytes * 1e9 / cal.bandwidth() / scale(threads(cal.cores())) : 0;
        if (bytes == 0) {
            pricing = Pricing.NONE;
            nanosPerByte = cal.bandwidth() > 0 ? 1e9 / cal.bandwidth() : Double.NaN;
            reductionFixed = cal.reduction();
        } else if (cal.reduction() < priced) {
            pricing = Pricing.CALIBRATION;
            nanosPerByte = 1e9 / cal.bandwidth() * cal.reduction() / priced;
            reductionFixed = 0;
        } else {
            pricing = Pricing.BANDWIDTH;
            nanosPerByte = 1e9 / cal.bandwidth();
            reductionFixed = cal.reduction() - priced;
        }
        this.atCalibration = step(cal.cores());
        this.calibrationError = atCalibration.total() / cal.stepNanos() - 1;
    }

    /** The model of {@code run}'s calibration, or why the run cannot calibrate one. */
    public static Attempt<StepModel> from(RunResult run) {
        Attempt<Calibration> c = Calibration.from(run);
        return c.ok() ? Attempt.of(new StepModel(c.value())) : Attempt.refused(c.refusal());
    }

    public Calibration calibration() {
        return cal;
    }

    /** How the reduction's bytes are priced. */
    public Pricing pricing() {
        return pricing;
    }

    /**
     * The model's step at the calibration's cores against the measured step, {@code T(c)/measured − 1}: 0,
     * unless the measured compute phase was shorter than the model's items and locks (then the barrier term
     * is 0 and the model is that much slower than the run).
     */
    public double calibrationError() {
        return calibrationError;
    }

    /** The predicted step at {@code cores} cores. */
    public Step step(int cores) {
        if (cores <= 0) {
            throw new IllegalArgumentException("cores: " + cores + "; expected a positive integer");
        }
        int b = cal.items();
        int w = cal.workers();
        double c = cal.cpuPerItem();
        int busy = Math.min(cores, Math.min(w, b));
        double balanced = b * c / busy;
        double items = items(cores);
        double compute = Math.max(items, lockBound);
        int summed = summed(cores);
        int threads = threads(cores);
        double bytes = bytes(cores);
        double reduction = reductionFixed + (bytes > 0 ? bytes * nanosPerByte / scale(threads) : 0);
        double serial = cal.prepare() + cal.update();
        return new Step(cores, busy, serial, balanced, items, lockBound, bottleneck, compute, barrier, summed, threads,
                bytes, reduction, serial + compute + barrier + reduction);
    }

    /** The predicted speedup at {@code cores} cores over the calibration's own core count. */
    public double speedup(int cores) {
        return atCalibration.total() / step(cores).total();
    }

    /** The predicted speedups at 1 … {@code maxCores} cores; element {@code i} is at {@code i + 1} cores. */
    public double[] speedups(int maxCores) {
        double[] s = new double[maxCores];
        for (int n = 1; n <= maxCores; n++) {
            s[n - 1] = speedup(n);
        }
        return s;
    }

    /**
     * Where the speedup at {@code cores} goes against the ideal {@code N / c}: the losses add up to
     * {@code ideal − speedup}. Defined from the calibration's own core count up.
     *
     * @throws IllegalArgumentException below the calibration's cores, where the ideal is a slowdown
     */
    public Stack stack(int cores) {
        int c = cal.cores();
        if (cores < c) {
            throw new IllegalArgumentException("cores: " + cores + "; expected at least the calibration's " + c);
        }
        Step s = step(cores);
        Step at = atCalibration;
        double share = (double) c / cores;
        // The compute phase's excess, level by level: the ideal share, then too few busy workers, then the
        // busiest worker's chain, then the slowest lock. Each level is at least the one before it.
        double ideal = at.compute() * share;
        double idle = Math.max(ideal, s.balanced());
        double chain = Math.max(idle, s.items());
        double toSpeedup = (double) cores / c / s.total();
        List<Loss> losses = new ArrayList<>();
        losses.add(new Loss(Part.SERIAL, null, toSpeedup * (s.serial() - at.serial() * share)));
        losses.add(new Loss(Part.LOCK, s.compute() > chain ? s.bottleneck() : null, toSpeedup * (s.compute() - chain)));
        losses.add(new Loss(Part.IDLE, null, toSpeedup * (idle - ideal)));
        losses.add(new Loss(Part.IMBALANCE, null, toSpeedup * (chain - idle)));
        losses.add(new Loss(Part.REDUCTION, null, toSpeedup * (s.reduction() - at.reduction() * share)));
        losses.add(new Loss(Part.BARRIER, null, toSpeedup * (s.barrier() - at.barrier() * share)));
        return new Stack(cores, (double) cores / c, speedup(cores), losses);
    }

    /** The busiest worker's chain under fair time-sharing of {@code cores} cores. */
    private double items(int cores) {
        int b = cal.items();
        int w = cal.workers();
        double c = cal.cpuPerItem();
        int rounds = b / w;
        int rest = b % w;
        double all = rounds * c * Math.max(1.0, (double) w / cores);
        double last = rest > 0 ? c * Math.max(1.0, (double) rest / cores) : 0;
        return all + last;
    }

    /** Buffers summed into the engine's: every touched owner but the engine's own. */
    private int summed(int cores) {
        int owners = cal.ownersAt(cores);
        return Math.max(0, Math.min(owners, cal.items()) - 1);
    }

    private double bytes(int cores) {
        return (double) summed(cores) * cal.parameters() * BYTES_PER_FLOAT;
    }

    private int threads(int cores) {
        return Math.max(1, Math.min(cal.reductionParts(), Math.min(cal.workers(), cores)));
    }

    /**
     * k threads' aggregate bandwidth over one thread's. Per thread, it goes linearly from the one-thread
     * figure to the many-thread one (never above one thread's), and stays there beyond: bandwidth shared by
     * more threads than measured is not modelled.
     */
    private double scale(int k) {
        double one = cal.bandwidth();
        int t = cal.bandwidthThreads();
        double all = cal.bandwidthAll();
        if (k <= 1 || t <= 1 || !(all > 0) || !(one > 0)) {
            return k;
        }
        double atT = Math.min(one, all / t);
        double perThread = k >= t ? atT : one + (atT - one) * (k - 1) / (t - 1);
        return k * perThread / one;
    }
}
