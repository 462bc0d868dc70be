package org.cllmlab.reports;

import java.util.Locale;
import org.cllmlab.reports.Estimate.Tri;
import org.cllmlab.reports.ReportModel.Outcome;
import org.cllmlab.reports.ReportModel.Verdict;

/**
 * The original's claims (DESIGN §14) judged against measured figures. Each method is a pure function of the
 * {@link Estimate}s it is given, each with its 95% interval; a claim is decided on the whole interval:
 * "held" or "did not hold" only when the interval lies on one side of the threshold, "inconclusive" when
 * it straddles it (or when there is no interval, from single runs), and the "why" prints the interval.
 * The thresholds are explicit:
 * <ul>
 *   <li>{@link #HELD_SHARE}: a claimed saving or speedup holds when at least this share of it was measured;</li>
 *   <li>{@link #NO_IMPACT_PCT}: "zero performance impact" holds when tokens/s moved by at most this many %;</li>
 *   <li>{@link #TOLERANCE}: an absolute figure (1.32 GB, 276 MB, 473 MB, 55×) holds within ± this share of it,
 *       and partly holds within a factor of {@link #PARTLY_FACTOR}.</li>
 * </ul>
 * The absolute figures are the original's, for its shape (the {@code seed} preset, 63 workers): at any other
 * shape they are "not comparable". Memory is judged on the resident figure after a full collection at the
 * peak (the stable one) unless the claim itself was about reserved memory; "MB" in the original's claims
 * is read as MiB (its 455 MB is 65 × 7 MiB of stacks).
 */
public final class Verdicts {

    public static final double HELD_SHARE = 0.5;
    public static final double NO_IMPACT_PCT = 5.0;
    public static final double TOLERANCE = 0.25;
    public static final double PARTLY_FACTOR = 2.0;
    /** The share of phase 4's tokens/s that the beyond design must keep to count as "as fast". */
    public static final double BEYOND_SPEED_SHARE = 0.95;
    /** The original's shape: its claims' absolute figures are comparable only there. */
    public static final String ORIGINAL_PRESET = "seed";
    public static final int ORIGINAL_WORKERS = 63;

    static final double MIB = Fmt.MIB;

    private Verdicts() {
    }

    /**
     * The shape the phases ran at, and whether it is the original's.
     *
     * @param preset  the runs' preset
     * @param workers the runs' workers
     */
    public record Shape(String preset, int workers) {
        public boolean original() {
            return ORIGINAL_PRESET.equals(preset) && workers == ORIGINAL_WORKERS;
        }

        String why() {
            return "the original's figures are for its own shape (the seed preset's 4.9M parameters, 63 workers);"
                    + " these runs are the " + preset + " preset with " + workers + " workers";
        }
    }

    private static Verdict notMeasured(String id, String claim, String needs) {
        return new Verdict(id, claim, Fmt.NA, Outcome.NOT_MEASURED, "needs " + needs, Estimate.NONE, "");
    }

    private static Verdict notComparable(String id, String claim, String measured, Shape shape, Estimate e,
                                         String figure) {
        return new Verdict(id, claim, measured, Outcome.NOT_COMPARABLE, shape.why(), e, figure);
    }

    /** An absolute figure against its claim: held within ±{@link #TOLERANCE}, partly within ×{@link #PARTLY_FACTOR}. */
    static Outcome closeness(double measured, double claimed) {
        double ratio = measured / claimed;
        if (Math.abs(ratio - 1) <= TOLERANCE) {
            return Outcome.HELD;
        }
        if (ratio >= 1 / PARTLY_FACTOR && ratio <= PARTLY_FACTOR) {
            return Outcome.PARTLY_HELD;
        }
        return Outcome.DID_NOT_HOLD;
    }

    /** {@link #closeness} over an interval: both ends in one band, else inconclusive. */
    static Outcome closeness(Estimate e, double claimed) {
        if (!e.known()) {
            return Outcome.INCONCLUSIVE;
        }
        Outcome lo = closeness(e.low(), claimed);
        Outcome hi = closeness(e.high(), claimed);
        Outcome mid = closeness(e.value(), claimed);
        if (lo == hi && hi == mid) {
            // An interval can pass through the held band from below to above only if it holds it whole:
            // both ends in "partly" on either side of the claim is inconclusive too.
            boolean straddles = e.low() < claimed && e.high() > claimed && lo != Outcome.HELD;
            return straddles ? Outcome.INCONCLUSIVE : lo;
        }
        return Outcome.INCONCLUSIVE;
    }

    private static Outcome decide(Tri held, Tri partly) {
        if (held == Tri.TRUE) {
            return Outcome.HELD;
        }
        if (held == Tri.FALSE && partly == Tri.TRUE) {
            return Outcome.PARTLY_HELD;
        }
        if (held == Tri.FALSE && partly == Tri.FALSE) {
            return Outcome.DID_NOT_HOLD;
        }
        return Outcome.INCONCLUSIVE;
    }

    private static String mib(Estimate e) {
        return e.text(MIB, 1, "MiB");
    }

    private static String why(Outcome o, String rule, String interval) {
        String head = switch (o) {
            case HELD -> "held: ";
            case PARTLY_HELD -> "partly held: ";
            case DID_NOT_HOLD -> "did not hold: ";
            case INCONCLUSIVE -> "inconclusive: ";
            default -> "";
        };
        return head + rule + "; 95% interval " + interval;
    }

    /** "Before optimization: 1.32 GB with 63 threads and a 24 MB dataset" against the baseline's resident figure. */
    public static Verdict before(Estimate resident, long datasetBytes, Shape shape) {
        String id = "before";
        String claim = "Before optimization: 1.32 GB (resident) with 63 threads and a 24 MB dataset";
        if (!resident.known() && Double.isNaN(resident.value())) {
            return notMeasured(id, claim, "a baseline run");
        }
        double claimed = 1.32 * 1024 * MIB;
        String measured = mib(resident) + " resident after a full collection, baseline, " + Fmt.bytes(datasetBytes)
                + " dataset";
        if (!shape.original()) {
            return notComparable(id, claim, measured, shape, resident, "resident");
        }
        Outcome o = closeness(resident, claimed);
        return new Verdict(id, claim, measured, o, why(o, "within ±" + Fmt.num(TOLERANCE * 100, 0)
                + "% of the claimed 1352 MiB holds, within ×" + Fmt.num(PARTLY_FACTOR, 0) + " partly",
                resident.text(claimed, 2) + "× the claim"), resident, "resident");
    }

    /** "Thread stacks 520 MB (65 × 8 MB)": a reserved figure, compared with reserved stacks (exact). */
    public static Verdict stacks(Estimate stackReserved, Estimate stackCommitted) {
        String id = "before.stacks";
        String claim = "Before optimization: thread stacks 520 MB (65 × 8 MB) — a reserved figure";
        if (Double.isNaN(stackReserved.value())) {
            return notMeasured(id, claim, "a baseline run");
        }
        Outcome o = closeness(stackReserved, 520 * MIB);
        String measured = mib(stackReserved) + " reserved, " + (Double.isNaN(stackCommitted.value())
                ? "committed n/a (no NMT)" : mib(stackCommitted) + " committed");
        return new Verdict(id, claim, measured, o, why(o, "reserved is address space, exact here; committed shows"
                + " how little of it the stacks touch", stackReserved.text(520 * MIB, 2) + "× the claim"),
                stackReserved, "reserved");
    }

    /** "55× the dataset size" against the baseline's resident / dataset ratio. */
    public static Verdict ratio(Estimate residentToDataset, long datasetBytes, Shape shape) {
        String id = "before.ratio";
        String claim = "Before optimization: 55× the dataset size (24 MB dataset)";
        if (Double.isNaN(residentToDataset.value())) {
            return notMeasured(id, claim, "a baseline run");
        }
        String measured = residentToDataset.text(1, 1, "×") + " (resident after a full collection / "
                + Fmt.bytes(datasetBytes) + " dataset)";
        if (!ReportModel.ratioMeaningful(datasetBytes)) {
            return new Verdict(id, claim, measured, Outcome.NOT_COMPARABLE, "the dataset is too small for the ratio"
                    + " to mean anything (the JVM's own memory dominates)", residentToDataset, "resident / dataset");
        }
        if (!shape.original()) {
            return notComparable(id, claim, measured, shape, residentToDataset, "resident / dataset");
        }
        Outcome o = closeness(residentToDataset, 55);
        return new Verdict(id, claim, measured, o, why(o, "the ratio depends on the dataset size: a small dataset"
                + " inflates it", residentToDataset.text(1, 1) + "×"), residentToDataset, "resident / dataset");
    }

    /** "After phases 1 and 2: 276 MB with an 8 KB dataset" against phase 2 on the smallest dataset. */
    public static Verdict after(Estimate resident, long datasetBytes, Shape shape) {
        String id = "after";
        String claim = "After phases 1 and 2: 276 MB (resident) with 63 threads and an 8 KB dataset";
        if (Double.isNaN(resident.value())) {
            return notMeasured(id, claim, "a phase2 run");
        }
        String measured = mib(resident) + " resident after a full collection, phase2, " + Fmt.bytes(datasetBytes)
                + " dataset";
        if (!shape.original()) {
            return notComparable(id, claim, measured, shape, resident, "resident");
        }
        Outcome o = closeness(resident, 276 * MIB);
        return new Verdict(id, claim, measured, o, why(o, "within ±" + Fmt.num(TOLERANCE * 100, 0) + "% of 276 MiB"
                + " holds", resident.text(276 * MIB, 2) + "× the claim"), resident, "resident");
    }

    /**
     * "79% reduction": the original divided 276 MB (8 KB dataset) by 1.32 GB (24 MB dataset). The verdict rests
     * on the like-for-like reduction (same dataset); the cross-dataset figure is shown beside it.
     */
    public static Verdict reduction(Estimate likeForLikePct, long likeDataset, Estimate crossDatasetPct) {
        String id = "after.reduction";
        String claim = "After phases 1 and 2: 79% reduction (the 1.32 GB and the 276 MB came from different datasets)";
        if (Double.isNaN(likeForLikePct.value())) {
            return notMeasured(id, claim, "baseline and phase2 runs on one dataset");
        }
        Outcome o = closeness(likeForLikePct, 79);
        String measured = likeForLikePct.text(1, 1, "%") + " like for like (" + Fmt.bytes(likeDataset) + " dataset); "
                + (Double.isNaN(crossDatasetPct.value()) ? "cross-dataset n/a"
                : crossDatasetPct.text(1, 1, "%") + " baseline large → phase2 small");
        String rule = "judged on the same dataset; the original compared different datasets";
        if (o == Outcome.DID_NOT_HOLD && closeness(crossDatasetPct, 79) == Outcome.HELD) {
            o = Outcome.PARTLY_HELD;
            rule = "only the cross-dataset comparison the original made reaches 79%";
        }
        return new Verdict(id, claim, measured, o, why(o, rule, likeForLikePct.text(1, 1, "%")), likeForLikePct,
                "resident reduction %");
    }

    /** "Expected with the 24 MB dataset: about 473 MB (64% reduction)". */
    public static Verdict expectedLarge(Estimate resident, Estimate reductionPct, long datasetBytes, Shape shape) {
        String id = "after.large";
        String claim = "Expected with the 24 MB dataset after phases 1 and 2: about 473 MB (64% reduction)";
        if (Double.isNaN(resident.value())) {
            return notMeasured(id, claim, "baseline and phase2 runs on the large dataset");
        }
        String measured = mib(resident) + " resident after a full collection, " + reductionPct.text(1, 1, "%")
                + " reduction (" + Fmt.bytes(datasetBytes) + " dataset)";
        if (!shape.original()) {
            return notComparable(id, claim, measured, shape, resident, "resident");
        }
        Outcome o = closeness(resident, 473 * MIB);
        return new Verdict(id, claim, measured, o, why(o, "within ±" + Fmt.num(TOLERANCE * 100, 0) + "% of 473 MiB"
                + " holds", resident.text(473 * MIB, 2) + "× the claim"), resident, "resident");
    }

    /**
     * Phase 1, "stacks 8 → 1 MB saves 455 MB (35%), with zero performance impact". Holds when the resident
     * saving reaches {@link #HELD_SHARE} of 35% and tokens/s stays within ±{@link #NO_IMPACT_PCT}%; partly when
     * only one of them does, or when only reserved stacks shrink (by half of 455 MB) while tokens/s stays.
     *
     * @param reservedSaving    reserved stack bytes saved (exact)
     * @param residentSaving    resident bytes saved (after a full collection)
     * @param residentSavingPct the same, in % of the baseline
     * @param tokensRatio       phase1 tokens/s over the baseline's (paired runs)
     */
    public static Verdict phase1(Estimate reservedSaving, Estimate residentSaving, Estimate residentSavingPct,
                                 Estimate tokensRatio) {
        String id = "phase1";
        String claim = "Phase 1 (stacks 8 → 1 MB): saves 455 MB (35%), with zero performance impact";
        if (Double.isNaN(residentSaving.value()) || Double.isNaN(tokensRatio.value())) {
            return notMeasured(id, claim, "baseline and phase1 runs on one dataset");
        }
        Tri memory = residentSavingPct.above(HELD_SHARE * 35);
        Tri perf = tokensRatio.within(1 - NO_IMPACT_PCT / 100, 1 + NO_IMPACT_PCT / 100);
        boolean reserved = !Double.isNaN(reservedSaving.value()) && reservedSaving.value() >= HELD_SHARE * 455 * MIB;
        Tri held = memory.and(perf);
        Tri partly = memory.or(Tri.of(reserved).and(perf));
        Outcome o = decide(held, partly);
        String measured = "reserved stacks " + Fmt.saved(reservedSaving.value()) + "; resident "
                + Fmt.saved(residentSaving.value()) + " (" + residentSavingPct.text(1, 1, "%") + "); tokens/s ×"
                + tokensRatio.text(1, 3);
        String rule = switch (o) {
            case HELD -> "resident fell by at least half the claimed 35% and tokens/s stayed within ±"
                    + Fmt.num(NO_IMPACT_PCT, 0) + "%";
            case PARTLY_HELD -> memory == Tri.TRUE ? "the memory saving held but tokens/s moved by more than "
                    + Fmt.num(NO_IMPACT_PCT, 0) + "%"
                    : "the saving is reserved address space; resident memory barely moved (untouched stack pages"
                    + " were never resident), and tokens/s stayed within ±" + Fmt.num(NO_IMPACT_PCT, 0) + "%";
            case DID_NOT_HOLD -> reserved ? "reserved stacks shrank but resident memory did not, and tokens/s moved"
                    + " by more than " + Fmt.num(NO_IMPACT_PCT, 0) + "%"
                    : "neither reserved nor resident memory fell by half the claim";
            default -> perf == Tri.UNKNOWN ? "the tokens/s interval straddles ±" + Fmt.num(NO_IMPACT_PCT, 0)
                    + "% (more repetitions or a longer measurement would decide)"
                    : "the resident saving's interval straddles half the claimed 35%";
        };
        return new Verdict(id, claim, measured, o, why(o, rule, "resident saving " + residentSavingPct.text(1, 1)
                + "%, tokens/s ×" + tokensRatio.text(1, 3)), tokensRatio, "tokens/s ratio");
    }

    /**
     * Phase 2, "skip the 157-sphere hierarchy: 376 MB potential, 4 MB+ measured".
     *
     * @param hierarchySaving hierarchy bytes saved (exact, the ledger's)
     * @param residentSaving  resident bytes saved (after a full collection)
     */
    public static Verdict phase2(Estimate hierarchySaving, Estimate residentSaving) {
        String id = "phase2";
        String claim = "Phase 2 (skip the 157-sphere hierarchy): 376 MB potential, 4 MB+ measured";
        if (Double.isNaN(hierarchySaving.value()) || Double.isNaN(residentSaving.value())) {
            return notMeasured(id, claim, "phase1 and phase2 runs on one dataset");
        }
        String measured = "hierarchy (ledger) " + Fmt.saved(hierarchySaving.value()) + "; resident "
                + Fmt.saved(residentSaving.value()) + " " + intervalOnly(residentSaving, MIB, "MiB");
        // The hierarchy is all that phase 2 changes, and its bytes are measured exactly (every allocation of
        // its build). So the few-MB claim is judged on that exact figure: a resident difference can resolve
        // tens of MiB, not the fraction of one at stake here. The 376 MB potential is judged on resident.
        Tri held = residentSaving.above(HELD_SHARE * 376 * MIB);
        Tri partly = Tri.of(hierarchySaving.value() >= HELD_SHARE * 4 * MIB);
        Outcome o = decide(held, partly);
        String rule = switch (o) {
            case HELD -> "resident fell by at least half the 376 MB potential";
            case PARTLY_HELD -> "the measured few-MB saving holds; the 376 MB potential does not";
            case DID_NOT_HOLD -> "the eager hierarchy's bookkeeping, measured exactly, is too small here to save even"
                    + " half of 4 MB, and resident memory did not fall by half the 376 MB potential";
            default -> "the resident saving's interval straddles half the 376 MB potential";
        };
        return new Verdict(id, claim, measured, o, why(o, rule, "resident saving " + mib(residentSaving)
                + "; hierarchy saving (exact) " + Fmt.saved(hierarchySaving.value())), residentSaving, "resident saving");
    }

    /**
     * Phase 3, "right-size caches: about 15 MB (3%)".
     *
     * @param activationSaving  activation bytes saved (exact, the ledger's)
     * @param residentSaving    resident bytes saved (after a full collection)
     * @param residentSavingPct the same, in %
     */
    public static Verdict phase3(Estimate activationSaving, Estimate residentSaving, Estimate residentSavingPct) {
        String id = "phase3";
        String claim = "Phase 3 (right-size caches): about 15 MB (3%)";
        if (Double.isNaN(residentSaving.value())) {
            return notMeasured(id, claim, "phase2 and phase3 runs on one dataset");
        }
        String measured = "activations (ledger) " + Fmt.saved(activationSaving.value()) + "; resident "
                + Fmt.saved(residentSaving.value()) + " (" + residentSavingPct.text(1, 1, "%") + ")";
        Tri held = residentSavingPct.above(HELD_SHARE * 3);
        Tri partly = Tri.of(!Double.isNaN(activationSaving.value()) && activationSaving.value() >= HELD_SHARE * 15 * MIB);
        Outcome o = decide(held, partly);
        String rule = switch (o) {
            case HELD -> "resident fell by at least half the claimed 3%"
                    + (residentSaving.value() > 4 * 15 * MIB ? ", and by far more than the claimed 15 MB" : "");
            case PARTLY_HELD -> "the caches shrank as claimed but resident memory did not follow";
            case DID_NOT_HOLD -> "neither the caches nor resident memory shrank by half the claim";
            default -> "the resident saving's interval straddles half the claimed 3%";
        };
        return new Verdict(id, claim, measured, o, why(o, rule, residentSavingPct.text(1, 1, "%")),
                residentSavingPct, "resident saving %");
    }

    /**
     * Phase 4, "63× speedup with 63 threads". The 63× cannot be measured on a machine with fewer cores: the
     * verdict rests on the step model's prediction at 63 cores (held when its interval lies at or above
     * {@link #HELD_SHARE} of 63×, did not hold when below), or on the measurement where the machine has 63
     * cores. Beside it: the measured phase4/phase3 ratio against this machine's two-core ceiling.
     *
     * @param speedup    phase 4's tokens/s over phase 3's (paired runs)
     * @param ceiling    this machine's ceiling for that ratio: the FMA loop on min(workers, cores) threads over one
     * @param workers    the phases' workers
     * @param cores      this machine's cores
     * @param prediction the predicted speedup at 63 cores with its interval (NONE without a model)
     * @param method     how the prediction was made, and its validated error on this machine
     */
    public static Verdict phase4(Estimate speedup, Estimate ceiling, int workers, int cores, Estimate prediction,
                                 String method) {
        String id = "phase4";
        String claim = "Phase 4 (remove model_lock): 63× speedup with 63 threads";
        if (Double.isNaN(speedup.value())) {
            return notMeasured(id, claim, "phase3 and phase4 runs on one dataset");
        }
        int cap = Math.max(1, Math.min(workers, cores));
        String capText = Double.isNaN(ceiling.value()) ? cap + "× (its " + cores + " cores)"
                : ceiling.text(1, 2) + "× (the FMA loop on " + cap + " threads over one, measured in these runs)";
        double share = Double.isNaN(ceiling.value()) ? (speedup.value() - 1) / (cap - 1)
                : (speedup.value() - 1) / (ceiling.value() - 1);
        String measured = "×" + speedup.text(1, 2) + " tokens/s phase4 / phase3 (" + workers + " workers, " + cores
                + " cores); this machine's ceiling " + capText
                + (cap > 1 ? "; lock removal reaches " + Fmt.pct(100 * share) + " of the gain it allows" : "")
                + (Double.isNaN(prediction.value()) ? "" : "; predicted at 63 cores: ×" + prediction.text(1, 1));
        double threshold = HELD_SHARE * 63;
        Outcome o;
        String rule;
        if (cores >= 63) {
            Tri held = speedup.above(threshold);
            o = held == Tri.TRUE ? Outcome.HELD : held == Tri.FALSE ? Outcome.DID_NOT_HOLD : Outcome.INCONCLUSIVE;
            rule = "measured on " + cores + " cores against half of 63×";
        } else if (!Double.isNaN(prediction.value())) {
            Tri held = prediction.above(threshold);
            o = held == Tri.TRUE ? Outcome.HELD : held == Tri.FALSE ? Outcome.DID_NOT_HOLD : Outcome.INCONCLUSIVE;
            rule = "63× cannot be measured on " + cores + " cores; decided on the prediction at 63 cores against half"
                    + " of 63× (" + method + ")";
        } else {
            o = Outcome.INCONCLUSIVE;
            rule = "63× cannot be measured on " + cores + " cores, and no calibrated prediction was made (run the"
                    + " scaling suite, or run the phases on a 64-core node)";
        }
        return new Verdict(id, claim, measured, o, why(o, rule, "measured ×" + speedup.text(1, 2)
                + (Double.isNaN(prediction.value()) ? "" : ", predicted ×" + prediction.text(1, 1))),
                Double.isNaN(prediction.value()) ? speedup : prediction, cores >= 63 || Double.isNaN(prediction.value())
                ? "speedup, measured" : "speedup at 63 cores, predicted");
    }

    /**
     * This project's own claim for the {@code beyond} phase: phase 4's lock-free speed with memory that grows with
     * cores, not with threads. Holds when its resident figure is below phase 4's and its tokens/s reach
     * {@link #BEYOND_SPEED_SHARE} of phase 4's.
     *
     * @param residentSaving phase 4's resident figure minus beyond's
     * @param tokensRatio    beyond's tokens/s over phase 4's (paired runs)
     */
    public static Verdict beyond(Estimate phase4Resident, Estimate beyondResident, Estimate residentSaving,
                                 Estimate tokensRatio) {
        String id = "beyond";
        String claim = "Beyond (cllm-lab): phase 4's lock-free speed with memory that grows with cores, not threads";
        if (Double.isNaN(residentSaving.value()) || Double.isNaN(tokensRatio.value())) {
            return notMeasured(id, claim, "phase4 and beyond runs on one dataset");
        }
        String measured = mib(beyondResident) + " resident against phase 4's " + mib(phase4Resident)
                + "; tokens/s ×" + tokensRatio.text(1, 3) + " phase 4's";
        Tri memory = residentSaving.above(0);
        Tri speed = tokensRatio.above(BEYOND_SPEED_SHARE);
        Tri held = memory.and(speed);
        Tri partly = memory.or(speed);
        Outcome o = decide(held, partly);
        String rule = switch (o) {
            case HELD -> "less resident memory at " + Fmt.pct(100 * BEYOND_SPEED_SHARE) + " or more of phase 4's speed";
            case PARTLY_HELD -> memory == Tri.TRUE ? "less resident memory, but not " + Fmt.pct(100 * BEYOND_SPEED_SHARE)
                    + " of phase 4's speed" : "as fast, but no less resident memory";
            case DID_NOT_HOLD -> "neither less memory nor phase 4's speed";
            default -> speed == Tri.UNKNOWN ? "the tokens/s ratio's interval straddles "
                    + Fmt.pct(100 * BEYOND_SPEED_SHARE) : "the memory saving's interval straddles zero";
        };
        return new Verdict(id, claim, measured, o, why(o, rule, "saving " + mib(residentSaving) + ", tokens/s ×"
                + tokensRatio.text(1, 3)), tokensRatio, "tokens/s ratio");
    }

    private static String intervalOnly(Estimate e, double scale, String unit) {
        if (!e.known() || e.low() == e.high()) {
            return "";
        }
        return String.format(Locale.ROOT, "[%s, %s %s]", Fmt.num(e.low() / scale, 1), Fmt.num(e.high() / scale, 1), unit);
    }
}
