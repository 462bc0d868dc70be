package org.cllmlab.experiments.suite;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cllmlab.core.results.RunResult;

/**
 * A suite's progress, measured in expected seconds rather than in runs (runs differ by a factor of ten in
 * length): each run counts for the time {@link RunCost} expects it to take, the bar advances with the
 * clock while a run is going (never past what that run is expected to take), and the expectations are
 * corrected as runs finish, so the estimate of the time left is honest from the first minute.
 *
 * <p>On a terminal the bar is redrawn in place on stderr; anywhere else (a log file, CI) there is no bar,
 * only one line per finished run. Either way every finished run prints one line on {@code out}. Runs may
 * go at the same time (the tasks of a job array on a cluster) and finish in any order.
 */
final class SuiteProgress implements AutoCloseable {

    private final PrintWriter out;
    private final RunCost cost;
    private final int total;
    /** The runs not finished yet. */
    private final Set<PlannedRun> remaining;
    /** The runs going now, to when they started. */
    private final Map<PlannedRun, Long> going = new LinkedHashMap<>();
    private final ProgressBar bar;
    private final ScheduledExecutorService ticker;
    private final long start = System.nanoTime();
    private int done;
    private double doneSeconds;

    /**
     * @param runs      the runs to do, in order
     * @param cores     this machine's cores (for the expectations)
     * @param showBar   whether to draw a bar (only on a terminal)
     */
    SuiteProgress(List<PlannedRun> runs, int cores, boolean showBar, PrintWriter out) {
        this.out = out;
        this.total = runs.size();
        this.remaining = new LinkedHashSet<>(runs);
        this.cost = new RunCost(cores);
        if (showBar && !runs.isEmpty()) {
            bar = new ProgressBarBuilder().setTaskName("suite").setInitialMax(Math.max(1, millis(total())))
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).continuousUpdate()
                    .setMaxRenderedLength(110).setUnit(" s", 1000).showSpeed(new java.text.DecimalFormat("0.0"))
                    .setConsumer(new ConsoleProgressBarConsumer(System.err, 110)).build();
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "suite-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        } else {
            bar = null;
            ticker = null;
        }
    }

    /** The expected seconds of every run, those not finished yet (the ones going included) whole. */
    private double total() {
        double t = doneSeconds;
        for (PlannedRun r : remaining) {
            t += cost.expected(r.spec());
        }
        return t;
    }

    private static long millis(double seconds) {
        return Math.round(seconds * 1000);
    }

    /** A run starts. */
    synchronized void starting(PlannedRun run) {
        going.put(run, System.nanoTime());
        if (bar != null && going.size() == 1) {
            bar.setExtraMessage(run.runId());
        }
    }

    /** What the bar says beside it while runs go at once, e.g. "3 running, 5 queued". */
    synchronized void status(String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    /** A run ended with {@code result} after {@code seconds}; prints its line. */
    synchronized void finished(PlannedRun run, RunResult result, double seconds) {
        cost.observe(run.spec(), seconds);
        done++;
        doneSeconds += seconds;
        going.remove(run);
        remaining.remove(run);
        if (bar != null) {
            bar.maxHint(Math.max(1, millis(total())));
            bar.stepTo(millis(doneSeconds + inFlight()));
        }
        out.println(line(done, total, result, seconds));
        out.flush();
    }

    private synchronized void tick() {
        if (bar == null || going.isEmpty()) {
            return;
        }
        bar.stepTo(millis(doneSeconds + inFlight()));
    }

    /** The expected seconds the runs going now have done: the clock, but never past 95% of what each should take. */
    private double inFlight() {
        long now = System.nanoTime();
        double s = 0;
        for (Map.Entry<PlannedRun, Long> g : going.entrySet()) {
            s += Math.min((now - g.getValue()) / 1e9, 0.95 * cost.expected(g.getKey().spec()));
        }
        return s;
    }

    /** Wall time since the suite started. */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (bar != null) {
            bar.close();
        }
    }

    static String line(int i, int n, RunResult r, double seconds) {
        if (r.ok()) {
            return String.format(Locale.ROOT,
                    "[%d/%d] %s ok in %.1f s (wall): %,.0f tokens/s (wall), resident %.1f MiB (after a full"
                            + " collection; sampled peak %.1f MiB)", i, n, r.runId(), seconds,
                    r.training().tokensPerSecond(), r.memory().stableResidentBytes() / (1024.0 * 1024.0),
                    r.memory().peakResidentBytes() / (1024.0 * 1024.0));
        }
        return String.format(Locale.ROOT, "[%d/%d] %s FAILED in %.1f s: %s", i, n, r.runId(), seconds, r.failure());
    }

    /** "4 min 12 s". */
    static String format(Duration d) {
        long s = Math.round(d.toMillis() / 1000.0);
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }
}
