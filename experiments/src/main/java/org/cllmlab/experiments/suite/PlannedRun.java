package org.cllmlab.experiments.suite;

import org.cllmlab.core.run.RunSpec;

/**
 * One run of a resolved suite.
 *
 * @param runId      stable and filename-safe: label, swept values, preset, dataset, workers, repetition
 * @param suite      the suite's name
 * @param group      the run without its repetition (repetitions of one group are summarised together)
 * @param dataset    short name of the data, e.g. {@code 8k}
 * @param repetition 1-based
 * @param spec       the resolved spec
 */
public record PlannedRun(String runId, String suite, String group, String dataset, int repetition, RunSpec spec) {
}
