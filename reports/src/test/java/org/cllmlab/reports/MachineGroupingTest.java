package org.cllmlab.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cllmlab.core.results.Provenance;
import org.cllmlab.core.results.RunConfig;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.reports.ReportModel.Group;
import org.junit.jupiter.api.Test;

/** Runs from different machines are never pooled; a failure the launcher recorded joins its configuration. */
class MachineGroupingTest {

    private static Provenance on(String host, int rep) {
        Provenance p = Fixtures.provenance(rep, rep);
        return new Provenance(p.gitCommit(), p.javaVersion(), p.javaVendor(), p.jvmFlags(), p.cores(), p.memoryBytes(),
                p.os(), p.startedAt(), p.seed(), p.kernels(), host, p.cpuModel(), p.machineCores(), p.slurm(),
                p.plugins());
    }

    private static ReportModel analyse(List<RunResult> results) {
        Map<String, RunResult> runs = new LinkedHashMap<>();
        results.forEach(r -> runs.put(r.runId(), r));
        return Analysis.analyse(new ResultLoader.Inputs("dir", runs, List.of(), List.of(), List.of(), List.of()));
    }

    private static RunResult run(String host, int rep) {
        Fixtures.Phase p = Fixtures.PHASES.get(3);
        RunConfig cfg = Fixtures.config(p.label(), Fixtures.SMALL, p.strategy(), p.threads(), p.hierarchy(), p.caches(),
                63, rep);
        return Fixtures.phaseRun(p.label() + "-r" + rep, cfg, on(host, rep), p, Fixtures.SMALL, rep);
    }

    @Test
    void sameConfigurationOnTwoMachines_givesTwoGroups() {
        ReportModel m = analyse(List.of(run("node-1", 1), run("node-1", 2), run("node-2", 3)));

        assertThat(m.groups()).hasSize(2);
        assertThat(m.groups()).extracting(g -> g.key().machine()).allMatch(s -> s.startsWith("node-"))
                .doesNotHaveDuplicates();
    }

    @Test
    void aFailureRecordedOnTheSubmittingMachine_joinsItsConfigurationsRunsOnTheirOneNode() {
        RunResult ok1 = run("node-1", 1);
        RunResult ok2 = run("node-1", 2);
        RunResult failed = Fixtures.failed("phase3-r3", "phases", ok1.config(), on("login-1", 3),
                "Slurm: CANCELLED, exit status 143");

        ReportModel m = analyse(List.of(ok1, ok2, failed));

        assertThat(m.groups()).hasSize(1);
        Group g = m.groups().get(0);
        assertThat(g.ok()).isEqualTo(2);
        assertThat(g.failed()).isEqualTo(1);
        assertThat(g.key().machine()).contains("node-1");
    }
}
