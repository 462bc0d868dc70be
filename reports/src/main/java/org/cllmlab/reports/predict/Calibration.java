package org.cllmlab.reports.predict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.model.ParameterLayout;
import org.cllmlab.core.results.Contention;
import org.cllmlab.core.results.MachineFigures;
import org.cllmlab.core.results.RunConfig;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.core.results.Training;

/**
 * What one run measured that a {@link StepModel} needs, per item and per step: the calibration of the
 * model. Made by {@link #from}, which refuses a run that lacks a figure the model cannot do without.
 * All times are nanoseconds.
 *
 * <p><b>Compute per item</b> is CPU time, not wall time: on a run pinned to fewer CPUs than it has workers,
 * a worker's wall time inside {@code process()} counts the time it waited for a CPU. It is the workers'
 * own CPU time ({@link CpuSource#CPU_TIME}); without it (virtual threads) it is wall time less lock waits,
 * which is CPU time only when no worker waited for a CPU: when every worker had a core of its own, or the
 * workers were virtual threads, which the JVM does not time-slice (a virtual thread keeps its carrier
 * until it blocks, and its blocking on a lock or a slot is counted as a lock wait).
 *
 * <p><b>Lock holds</b> are recorded in wall time. A holder that is descheduled while it holds the lock
 * (on a run with more workers than CPUs) counts the other workers' time too, so each hold is scaled by
 * {@link #holdScale}, the share of their non-waiting time inside {@code process()} the workers actually ran:
 * {@code Σ cpu / Σ (busy − lock wait)}. A descheduling falls at a random point of a worker's work, so the
 * scaled hold is right on average, not for each lock. Holds are then capped so that an item's holds add up
 * to no more than its CPU time (they are disjoint parts of it).
 *
 * @param runId             the run it came from (several, joined with ", ", for a {@link #mean})
 * @param strategy          the strategy's name
 * @param workers           worker count W
 * @param items             work items per step B ({@code tokensPerStep / seq})
 * @param cores             processors the run's JVM saw (the calibration's core count)
 * @param cpuPerItem        compute per item: CPU time inside {@code process()}, forward, backward and lock holds
 * @param cpuSource         where {@code cpuPerItem} came from
 * @param locks             each lock's hold per item, scaled to CPU time, in the order the strategy made them
 * @param holdScale         the factor applied to the recorded holds (1 when they were already CPU time)
 * @param prepare           per step: the main thread alone before the workers start
 * @param compute           per step: from the workers' release to the barrier's trip (measured)
 * @param reduction         per step: from the barrier's trip to the last reduction part's end (measured)
 * @param update            per step: the main thread alone, clipping and the optimizer
 * @param reductionParts    parts of the reduction, run in parallel by the workers
 * @param owners            full gradient buffers the strategy keeps and sums (0 when it did not say)
 * @param ownersFollowCores whether that count is one per core, {@code min(cores, W)}, rather than fixed
 * @param parameters        the model's parameter count (0 when the run's shape is unknown)
 * @param bandwidth         the reduction loop's bytes per second on one thread (NaN when not measured)
 * @param bandwidthAll      the same on {@code bandwidthThreads} threads (NaN when not measured)
 * @param bandwidthThreads  threads of {@code bandwidthAll}
 * @param tokensPerSecond   the run's measured throughput
 */
public record Calibration(String runId, String strategy, int workers, int items, int cores, double cpuPerItem,
                          CpuSource cpuSource, List<LockHold> locks, double holdScale, double prepare,
                          double compute, double reduction, double update, int reductionParts, int owners,
                          boolean ownersFollowCores, long parameters, double bandwidth, double bandwidthAll,
                          int bandwidthThreads, double tokensPerSecond) {

    /** Where {@link #cpuPerItem} came from. */
    public enum CpuSource {
        CPU_TIME("the workers' CPU time inside process()"),
        BUSY_LESS_WAITS("wall time inside process() less lock waits (no worker waited for a CPU)");

        private final String description;

        CpuSource(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * One lock's hold per item.
     *
     * @param name    the name the strategy gave it ({@code model}, {@code embeddings}, {@code block0}, ...)
     * @param perItem its hold time per work item, scaled to CPU time
     */
    public record LockHold(String name, double perItem) {
        public LockHold {
            Objects.requireNonNull(name, "name");
        }
    }

    public Calibration {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(cpuSource, "cpuSource");
        locks = List.copyOf(locks);
        positive("workers", workers);
        positive("items", items);
        positive("cores", cores);
        positive("reductionParts", reductionParts);
        if (!(cpuPerItem > 0)) {
            throw new IllegalArgumentException("cpuPerItem: " + cpuPerItem + "; expected a positive time");
        }
        if (owners < 0) {
            throw new IllegalArgumentException("owners: " + owners + "; expected 0 or more");
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + ": " + value + "; expected a positive integer");
        }
    }

    /** The measured step: the four phases add up to the steps' wall time. */
    public double stepNanos() {
        return prepare + compute + reduction + update;
    }

    /** How many buffers the reduction keeps at {@code cores} cores (0 when the strategy did not say). */
    public int ownersAt(int cores) {
        return ownersFollowCores ? Math.min(cores, workers) : owners;
    }

    /**
     * The calibration of {@code run}, or why there is none: a failed run, a result file from before the
     * step's phases were recorded, no measured steps or items, no CPU time where wall time would mislead,
     * or a reduction to price with no bandwidth or no model shape.
     */
    public static Attempt<Calibration> from(RunResult run) {
        if (!run.ok()) {
            return Attempt.refused("the run failed");
        }
        RunConfig cfg = run.config();
        Training training = run.training();
        Contention c = run.contention();
        if (cfg == null || training == null || c == null) {
            return Attempt.refused("it has no training or contention figures");
        }
        Contention.Phases p = c.phases();
        if (p == null) {
            return Attempt.refused("it has no phase figures (a result file from before a step's phases were recorded)");
        }
        if (c.steps() <= 0) {
            return Attempt.refused("it measured no steps");
        }
        if (p.cores() <= 0) {
            return Attempt.refused("it did not record the cores its JVM saw");
        }
        if (cfg.seq() <= 0 || training.tokensPerStep() <= 0 || training.tokensPerStep() % cfg.seq() != 0) {
            return Attempt.refused("its tokens per step (" + training.tokensPerStep() + ") are not a whole number of "
                    + cfg.seq() + "-token items");
        }
        int items = Math.toIntExact(training.tokensPerStep() / cfg.seq());
        long itemsDone = 0;
        double cpu = 0;
        double running = 0;
        boolean cpuEverywhere = true;
        for (Contention.WorkerFigures w : c.perWorker()) {
            if (w.items() == 0) {
                continue;
            }
            itemsDone += w.items();
            running += w.busyNanos() - w.lockWaitNanos();
            if (w.cpuNanos() == null || w.cpuNanos() <= 0) {
                cpuEverywhere = false;
            } else {
                cpu += w.cpuNanos();
            }
        }
        if (itemsDone == 0) {
            return Attempt.refused("it has no per-worker figures");
        }
        boolean virtual = "virtual".equals(cfg.threads());
        CpuSource source;
        double holdScale;
        if (cpuEverywhere) {
            source = CpuSource.CPU_TIME;
            holdScale = running > 0 ? Math.min(1, cpu / running) : 1;
        } else if (p.cores() >= c.workers() || virtual) {
            source = CpuSource.BUSY_LESS_WAITS;
            cpu = running;
            holdScale = 1;
        } else {
            return Attempt.refused("its workers' CPU time was not recorded, and its " + c.workers() + " "
                    + cfg.threads() + " workers shared " + p.cores() + (p.cores() == 1 ? " core" : " cores")
                    + ", so their wall time inside process() counts waiting for a CPU");
        }
        double cpuPerItem = cpu / itemsDone;
        if (!(cpuPerItem > 0)) {
            return Attempt.refused("its workers recorded no compute time");
        }

        List<LockHold> locks = holds(c.locks(), holdScale, itemsDone, cpuPerItem);

        int maxOwners = p.ownersFollowCores() ? c.workers() : p.owners();
        boolean sums = maxOwners > 1 && items > 1;
        long parameters = parameters(cfg);
        MachineFigures m = run.machine();
        double bandwidth = m == null ? Double.NaN : m.reduceBandwidth();
        if (sums && parameters == 0) {
            return Attempt.refused("it sums up to " + maxOwners + " gradient buffers after the barrier, but its model's"
                    + " shape (and so a buffer's size) is not recorded");
        }
        if (sums && !(bandwidth > 0)) {
            return Attempt.refused("it sums up to " + maxOwners + " gradient buffers after the barrier, but the"
                    + " reduction's bandwidth was not measured");
        }
        double steps = c.steps();
        return Attempt.of(new Calibration(run.runId(), cfg.strategy(), c.workers(), items, p.cores(), cpuPerItem, source,
                locks, holdScale, p.prepareNanos() / steps, p.computeNanos() / steps, p.reductionNanos() / steps,
                p.updateNanos() / steps, Math.max(1, p.reductionParts()), p.owners(), p.ownersFollowCores(), parameters,
                bandwidth, m == null ? Double.NaN : m.reduceBandwidthAll(), m == null ? 0 : m.bandwidthThreads(),
                training.tokensPerSecond()));
    }

    /** Each lock's hold per item, scaled to CPU time, and capped so an item's holds fit in its CPU time. */
    private static List<LockHold> holds(List<Contention.LockFigures> figures, double scale, long items, double cpuPerItem) {
        List<LockHold> out = new ArrayList<>();
        double sum = 0;
        for (Contention.LockFigures l : figures) {
            double h = scale * l.holdNanos() / items;
            out.add(new LockHold(l.name(), h));
            sum += h;
        }
        if (sum > cpuPerItem) {
            double f = cpuPerItem / sum;
            out.replaceAll(h -> new LockHold(h.name(), h.perItem() * f));
        }
        return out;
    }

    /** The model's parameter count from the run's shape, 0 when the shape is not recorded. */
    static long parameters(RunConfig cfg) {
        try {
            return new ParameterLayout(new ModelConfig(cfg.dModel(), cfg.layers(), cfg.heads(), cfg.dFf(), cfg.seq(),
                    cfg.batch(), cfg.vocab())).size();
        } catch (IllegalArgumentException | ArithmeticException e) {
            return 0;
        }
    }

    /**
     * The mean of repetitions of one configuration: every time averaged, the discrete figures (workers,
     * items, cores, parts, owners) as they must agree.
     *
     * @throws IllegalArgumentException when the list is empty or the repetitions differ in a discrete figure
     */
    public static Calibration mean(List<Calibration> reps) {
        if (reps.isEmpty()) {
            throw new IllegalArgumentException("calibrations: none; expected at least one");
        }
        Calibration f = reps.get(0);
        for (Calibration r : reps) {
            if (r.workers != f.workers || r.items != f.items || r.cores != f.cores || r.reductionParts != f.reductionParts
                    || r.owners != f.owners || r.ownersFollowCores != f.ownersFollowCores || r.parameters != f.parameters
                    || !r.strategy.equals(f.strategy)) {
                throw new IllegalArgumentException("calibrations: " + r.runId + " differs from " + f.runId
                        + " in strategy, workers, items, cores, parts, owners or parameters; expected repetitions");
            }
        }
        Map<String, Double> holds = new LinkedHashMap<>();
        reps.forEach(r -> r.locks.forEach(l -> holds.merge(l.name(), l.perItem() / reps.size(), Double::sum)));
        boolean cpuTime = reps.stream().allMatch(r -> r.cpuSource == CpuSource.CPU_TIME);
        return new Calibration(String.join(", ", reps.stream().map(Calibration::runId).toList()), f.strategy, f.workers,
                f.items, f.cores, avg(reps, Calibration::cpuPerItem), cpuTime ? CpuSource.CPU_TIME : CpuSource.BUSY_LESS_WAITS,
                holds.entrySet().stream().map(e -> new LockHold(e.getKey(), e.getValue())).toList(),
                avg(reps, Calibration::holdScale), avg(reps, Calibration::prepare), avg(reps, Calibration::compute),
                avg(reps, Calibration::reduction), avg(reps, Calibration::update), f.reductionParts, f.owners,
                f.ownersFollowCores, f.parameters, avg(reps, Calibration::bandwidth), avg(reps, Calibration::bandwidthAll),
                f.bandwidthThreads, avg(reps, Calibration::tokensPerSecond));
    }

    private static double avg(List<Calibration> reps, java.util.function.ToDoubleFunction<Calibration> f) {
        return reps.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
