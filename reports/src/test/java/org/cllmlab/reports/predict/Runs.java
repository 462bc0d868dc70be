package org.cllmlab.reports.predict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cllmlab.core.results.Contention;
import org.cllmlab.core.results.MachineFigures;
import org.cllmlab.core.results.Provenance;
import org.cllmlab.core.results.RunConfig;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.core.results.Training;

/**
 * Result files shaped by hand for the step model's tests: a run of the {@code small} preset's shape (128
 * wide, 4 blocks, 64-token items) whose figures are given per item and per step, in milliseconds.
 * Items go to workers round-robin, as the engine hands them out.
 */
final class Runs {

    static final double MS = 1e6;

    String id = "run";
    String strategy = "lockfree.thread-local";
    String threads = "platform-1m";
    String host = "lab-1";
    int machineCores = 2;
    int workers = 2;
    int items = 16;
    int cores = 1;
    int steps = 10;
    int warmup = 3;
    /** CPU time per item. */
    double cpuMs = 10;
    /** Wall time inside process() over CPU time, lock waits aside (2: two workers took turns on one core). */
    double wallOverCpu = 1;
    /** Lock wait per item. */
    double waitMs = 0;
    boolean cpuRecorded = true;
    /** Wall hold per item, per lock. */
    Map<String, Double> holdMs = new LinkedHashMap<>();
    double prepareMs = 1;
    double computeMs = Double.NaN;
    double reductionMs = 0.5;
    double updateMs = 2;
    int parts = 2;
    int owners = 2;
    boolean ownersFollowCores = false;
    MachineFigures machine = new MachineFigures(Double.NaN, Double.NaN, 16e9, Double.NaN, 1);
    /** Throughput; NaN: from the step's phases. */
    double tokensPerSecond = Double.NaN;
    boolean phases = true;
    boolean ok = true;

    Runs id(String v) {
        id = v;
        return this;
    }

    Runs strategy(String v) {
        strategy = v;
        return this;
    }

    Runs threads(String v) {
        threads = v;
        return this;
    }

    Runs host(String v) {
        host = v;
        return this;
    }

    Runs machineCores(int v) {
        machineCores = v;
        return this;
    }

    Runs workers(int v) {
        workers = v;
        return this;
    }

    Runs items(int v) {
        items = v;
        return this;
    }

    Runs cores(int v) {
        cores = v;
        return this;
    }

    Runs cpuMs(double v) {
        cpuMs = v;
        return this;
    }

    Runs wallOverCpu(double v) {
        wallOverCpu = v;
        return this;
    }

    Runs waitMs(double v) {
        waitMs = v;
        return this;
    }

    Runs noCpuTime() {
        cpuRecorded = false;
        return this;
    }

    Runs hold(String lock, double ms) {
        holdMs.put(lock, ms);
        return this;
    }

    Runs phasesMs(double prepare, double compute, double reduction, double update) {
        prepareMs = prepare;
        computeMs = compute;
        reductionMs = reduction;
        updateMs = update;
        return this;
    }

    Runs owners(int v, boolean followCores) {
        owners = v;
        ownersFollowCores = followCores;
        return this;
    }

    Runs parts(int v) {
        parts = v;
        return this;
    }

    Runs machine(MachineFigures v) {
        machine = v;
        return this;
    }

    Runs tokensPerSecond(double v) {
        tokensPerSecond = v;
        return this;
    }

    Runs noPhases() {
        phases = false;
        return this;
    }

    /** A single cold step: no warm-up, one step, no time (a suite's memory-only run). */
    Runs coldStep() {
        steps = 1;
        warmup = 0;
        return this;
    }

    Runs failed() {
        ok = false;
        return this;
    }

    RunResult build() {
        RunConfig cfg = new RunConfig("scaling", null, "small", 128, 4, 4, 512, 64, items, 812, "embedded", 8192, "word",
                strategy, threads, "lazy", "right-sized", workers, "global", steps, warmup, 1, 42, List.of(), warmup, 0, cores);
        Provenance prov = new Provenance("6ed957c", "25+36-LTS", "Eclipse Adoptium", List.of(), cores, 8L << 30,
                "Linux", "2026-12-01T10:00:00Z", 42, "vector", host, "AMD EPYC", machineCores, null, List.of());
        if (!ok) {
            return new RunResult(RunResult.SCHEMA, id, "scaling", RunResult.FAILED, "killed", cfg, prov, null, null, null,
                    null);
        }
        double compute = Double.isNaN(computeMs) ? items * cpuMs : computeMs;
        double stepMs = prepareMs + compute + reductionMs + updateMs;
        long tokensPerStep = (long) items * 64;
        double tps = Double.isNaN(tokensPerSecond) ? tokensPerStep / (stepMs / 1e3) : tokensPerSecond;
        double wall = steps * tokensPerStep / tps;
        Training training = new Training(steps, 3, tokensPerStep, wall, wall, tps, List.of(), List.of(), List.of(),
                List.of(), true);
        double holdPerItem = holdMs.values().stream().mapToDouble(Double::doubleValue).sum();
        List<Contention.WorkerFigures> per = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int n = steps * (items / workers + (w < items % workers ? 1 : 0));
            long cpu = (long) (n * cpuMs * MS);
            long wait = (long) (n * waitMs * MS);
            long busy = (long) (n * cpuMs * wallOverCpu * MS) + wait;
            per.add(new Contention.WorkerFigures(w, n, busy, (long) (n * holdPerItem * MS), wait, 0, null, null,
                    cpuRecorded ? cpu : null));
        }
        List<Contention.LockFigures> locks = new ArrayList<>();
        holdMs.forEach((name, ms) -> locks.add(new Contention.LockFigures(name, (long) steps * items,
                (long) (steps * items * ms * MS), (long) (steps * items * waitMs * MS))));
        Contention.Phases ph = phases ? new Contention.Phases((long) (steps * prepareMs * MS), (long) (steps * compute * MS),
                (long) (steps * reductionMs * MS), (long) (steps * updateMs * MS), parts, owners, ownersFollowCores, cores)
                : null;
        Contention c = new Contention(workers, 0, 0, 0, 0, 0, 0, 0, null, null, 0, per, locks, steps, ph);
        return new RunResult(RunResult.SCHEMA, id, "scaling", RunResult.OK, null, cfg, prov, training, null, c, machine);
    }

    /**
     * A calibration given directly, in milliseconds, without the reduction: for the model's hand-computed
     * cases.
     */
    static Calibration calibration(String strategy, int workers, int items, int cores, double cpuMs,
                                   Map<String, Double> holdMs, double prepareMs, double computeMs, double updateMs) {
        List<Calibration.LockHold> locks = holdMs.entrySet().stream()
                .map(e -> new Calibration.LockHold(e.getKey(), e.getValue() * MS)).toList();
        return new Calibration("cal", strategy, workers, items, cores, cpuMs * MS, Calibration.CpuSource.CPU_TIME, locks,
                1, prepareMs * MS, computeMs * MS, 0, updateMs * MS, 1, 0, false, 0, Double.NaN, Double.NaN, 0, 1000);
    }

    /** {@code c} with a reduction: its owners, parts, buffer size, measured time and bandwidths. */
    static Calibration withReduction(Calibration c, int owners, boolean followCores, int parts, long parameters,
                                     double reductionMs, double bandwidth, double bandwidthAll, int bandwidthThreads) {
        return new Calibration(c.runId(), c.strategy(), c.workers(), c.items(), c.cores(), c.cpuPerItem(), c.cpuSource(),
                c.locks(), c.holdScale(), c.prepare(), c.compute(), reductionMs * MS, c.update(), parts, owners,
                followCores, parameters, bandwidth, bandwidthAll, bandwidthThreads, c.tokensPerSecond());
    }
}
