package org.cllmlab.experiments.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.run.RunSpec;
import org.cllmlab.strategies.Registries;
import org.cllmlab.experiments.cli.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecsTest {

    static final Registries REGISTRIES = Registries.create();

    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, json);
        return f;
    }

    private Specs.Suite load(String json) throws IOException {
        return Specs.fromFile(write("suite.json", json), Specs.Overrides.NONE, REGISTRIES);
    }

    @Test
    void referenceSpec_loaded_holdsTheQuickDefaults() {
        RunSpec r = Specs.referenceSpec();
        assertThat(r.preset().id()).isEqualTo("small");
        assertThat(r.data().datasetBytes()).isEqualTo(8192);
        assertThat(r.schedule().steps()).isPositive();
        assertThat(r.repetitions()).isEqualTo(1);
        assertThat(r.jvmOptions()).isEmpty();
        assertThat(r.shape().dModel()).isNull();
    }

    @Test
    void phasesSuite_resolved_followsTheDesignTableAtTheOriginalsShape() {
        Specs.Suite s = Specs.builtIn("phases", Specs.Overrides.NONE, REGISTRIES);
        // 6 phases x 2 datasets x 3 repetitions, and phase 4 on one CPU on the timed dataset
        assertThat(s.runs()).hasSize(39);
        assertThat(s.preset()).isEqualTo("seed");
        Map<String, PlannedRun> byId = s.runs().stream().collect(Collectors.toMap(PlannedRun::runId, r -> r));
        RunSpec baseline = byId.get("baseline-seed-8k-w63-r1").spec();
        var bp = baseline.parallelism();
        assertThat(List.of(bp.workers(), bp.threads(), bp.hierarchy(), bp.caches(),
                bp.strategy())).containsExactly(63, "platform-8m", "eager", "oversized", "lock.global");
        assertThat(baseline.role()).isEqualTo(org.cllmlab.core.results.Phase.BASELINE);
        // every one of the 63 workers gets an item in every step
        assertThat(baseline.itemsPerStep()).isEqualTo(63);
        assertThat(baseline.schedule().timed()).isTrue();
        assertThat(byId.get("phase1-seed-24m-w63-r1").spec().data().datasetBytes()).isEqualTo(25165824L);
        assertThat(byId.get("phase1-seed-24m-w63-r1").spec().schedule().timed()).as("memory only").isFalse();
        assertThat(byId.get("phase2-seed-8k-w63-r1").spec().parallelism().hierarchy()).isEqualTo("lazy");
        assertThat(byId.get("phase3-seed-8k-w63-r1").spec().parallelism().caches()).isEqualTo("right-sized");
        assertThat(byId.get("phase4-seed-8k-w63-r1").spec().parallelism().strategy()).isEqualTo("lockfree.thread-local");
        RunSpec beyond = byId.get("beyond-seed-24m-w63-r1").spec();
        assertThat(beyond.parallelism().threads()).isEqualTo("virtual");
        assertThat(beyond.parallelism().strategy()).isEqualTo("lockfree.core-slots");
        assertThat(byId.get("phase4-1cpu-seed-8k-w63-r1").spec().cpus()).isEqualTo(1);
        assertThat(byId).doesNotContainKey("phase4-1cpu-seed-24m-w63-r1");
    }

    @Test
    void phasesSuite_repetitions_runInterleavedAcrossConfigurations() {
        Specs.Suite s = Specs.builtIn("phases", Specs.Overrides.NONE, REGISTRIES);
        List<Integer> reps = s.runs().stream().map(PlannedRun::repetition).toList();
        assertThat(reps.subList(0, 13)).containsOnly(1);
        assertThat(reps.subList(13, 26)).containsOnly(2);
        assertThat(reps.subList(26, 39)).containsOnly(3);
    }

    @Test
    void phasesSuite_withPresetStepsAndReps_overridesEveryRun() {
        Specs.Suite s = Specs.builtIn("phases", new Specs.Overrides("small", 2, 2), REGISTRIES);
        assertThat(s.runs()).hasSize(26);
        assertThat(s.runs()).allSatisfy(r -> {
            assertThat(r.spec().preset().id()).isEqualTo("small");
            assertThat(r.spec().schedule().steps()).isEqualTo(2);
        });
        assertThat(s.runs()).extracting(PlannedRun::runId).contains("phase4-small-24m-w63-r2").doesNotHaveDuplicates();
    }

    @Test
    void seedPreset_withoutSteps_takesTheReferencesSeedAdjustment() {
        Specs.Suite s = Specs.builtIn("stacks", new Specs.Overrides("seed", null, null), REGISTRIES);
        assertThat(s.runs().get(0).spec().schedule().steps()).isEqualTo(1);
        assertThat(s.runs().get(0).spec().schedule().warmup()).isZero();
    }

    @Test
    void scalingSuite_resolved_crossesEveryStrategyWithOneAndTwoCpus() {
        Specs.Suite s = Specs.builtIn("scaling", Specs.Overrides.NONE, REGISTRIES);
        int strategies = REGISTRIES.strategies().names().size();
        assertThat(s.runs()).hasSize(strategies * 2 * 3);
        assertThat(s.runs()).allSatisfy(r -> {
            assertThat(r.spec().label()).isEqualTo("scaling");
            assertThat(r.spec().parallelism().batchMode().id()).isEqualTo("global");
            assertThat(r.spec().cpus()).isIn(1, 2);
        });
        assertThat(s.runs()).extracting(PlannedRun::runId).contains("scaling-lock.global-1cpu-seed-8k-w2-r1",
                "scaling-lockfree.core-slots-2cpu-seed-8k-w2-r3");
    }

    @Test
    void onlyDatasets_namingAnUnknownDataset_isRefusedWithTheField() {
        assertThatThrownBy(() -> load("{\"name\": \"x\", \"datasets\": [{\"name\": \"8k\", \"datasetBytes\": 8192}],"
                + " \"runs\": [{\"label\": \"a\", \"onlyDatasets\": [\"24m\"]}]}"))
                .isInstanceOf(UserError.class).hasMessageContaining("runs[0].onlyDatasets")
                .hasMessageContaining("\"24m\"");
    }

    @Test
    void stacksSuite_resolved_hasEveryThreadVariantAtThreeWorkerCounts() {
        Specs.Suite s = Specs.builtIn("stacks", Specs.Overrides.NONE, REGISTRIES);
        assertThat(s.runs()).hasSize(REGISTRIES.threads().names().size() * 3);
        assertThat(s.runs()).extracting(r -> r.spec().parallelism().workers()).contains(63, 256, 1024);
    }

    @Test
    void suiteFile_withDefaultsRunsAndModelOverrides_appliesThemInOrder() throws IOException {
        Specs.Suite s = load("""
                {"name": "mine", "defaults": {"preset": "tiny", "workers": 2, "d_model": 32, "heads": 2},
                 "repetitions": 2,
                 "runs": [{"label": "a"}, {"label": "b", "workers": 3, "layers": 1, "jvmOptions": ["-Xmx256m"]}]}
                """);
        // Repetitions run interleaved: every run's first, then every run's second.
        assertThat(s.runs()).extracting(PlannedRun::runId)
                .containsExactly("a-tiny-8k-w2-r1", "b-tiny-8k-w3-r1", "a-tiny-8k-w2-r2", "b-tiny-8k-w3-r2");
        RunSpec b = s.runs().get(1).spec();
        assertThat(b.jvmOptions()).containsExactly("-Xmx256m");
        ModelConfig shape = b.modelShape();
        assertThat(List.of(shape.dModel(), shape.layers(), shape.heads(), shape.dFf(), shape.seq()))
                .containsExactly(32, 1, 2, 256, 32);
        assertThat(s.resolved().get("runs")).hasSize(2);
    }

    @Test
    void singleRunSpecFile_withoutRuns_isASuiteOfOneNamedAfterTheFile() throws IOException {
        Specs.Suite s = Specs.fromFile(write("probe.json", "{\"preset\": \"tiny\", \"steps\": 2}"), Specs.Overrides.NONE, REGISTRIES);
        assertThat(s.name()).isEqualTo("probe");
        assertThat(s.runs()).singleElement().satisfies(r -> assertThat(r.runId()).isEqualTo("probe-tiny-8k-w1-r1"));
    }

    @Test
    void unknownStrategy_inARun_namesTheFieldTheValueAndTheKnownNames() {
        assertThatThrownBy(() -> load("{\"name\": \"x\", \"runs\": [{\"label\": \"a\", \"strategy\": \"lock.globl\"}]}"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("runs[0] (a)")
                .hasMessageContaining("strategy: 'lock.globl' is unknown; expected one of")
                .hasMessageContaining("lock.global").hasMessageContaining("lockfree.thread-local");
    }

    @Test
    void unknownThreadsHierarchyCachesOrPreset_eachNamesTheFieldAndKnownNames() {
        assertThatThrownBy(() -> load("{\"name\": \"x\", \"runs\": [{\"label\": \"a\", \"threads\": \"green\"}]}"))
                .hasMessageContaining("threads: 'green' is unknown; expected one of").hasMessageContaining("virtual");
        assertThatThrownBy(() -> load("{\"name\": \"x\", \"runs\": [{\"label\": \"a\", \"hierarchy\": \"flat\"}]}"))
                .hasMessageContaining("hierarchy: 'flat' is unknown; expected one of eager, lazy");
        assertThatThrownBy(() -> load("{\"name\": \"x\", \"runs\": [{\"label\": \"a\", \"caches\": \"huge\"}]}"))
                .hasMessageContaining("caches: 'huge' is unknown; expected one of oversized, right-sized");
        assertThatThrownBy(() -> load("{\"name\": \"x\", \"runs\": [{\"label\": \"a\", \"preset\": \"big\"}]}"))
                .hasMessageContaining("preset: 'big' is unknown; expected one of tiny, small, seed");
    }

    @Test
    void negativeOrZeroWorkers_isRejectedNamingTheField() {
        assertThatThrownBy(() -> load("{\"name\": \"x\", \"runs\": [{\"label\": \"a\", \"workers\": -3}]}"))
                .isInstanceOf(UserError.class).hasMessageContaining("workers: -3; expected a positive integer");
        assertThatThrownBy(() -> load("{\"name\": \"x\", \"runs\": [{\"label\": \"a\", \"workers\": 0}]}"))
                .hasMessageContaining("workers: 0; expected a positive integer");
    }

    @Test
    void zeroSteps_isRejectedNamingTheField() {
        assertThatThrownBy(() -> load("{\"name\": \"x\", \"runs\": [{\"label\": \"a\", \"steps\": 0}]}"))
                .isInstanceOf(UserError.class).hasMessageContaining("steps: 0; expected a positive integer");
    }

    @Test
    void malformedJson_reportsLineAndColumn() {
        assertThatThrownBy(() -> load("{\"name\": \"x\",\n  \"runs\": [{\"label\": \"a\" \"workers\": 3}]}"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("malformed JSON at line 2, column 26");
    }

    @Test
    void unknownField_isNamedWithTheKnownFields() {
        assertThatThrownBy(() -> load("{\"name\": \"x\", \"runs\": [{\"label\": \"a\", \"workrs\": 3}]}"))
                .hasMessageContaining("unknown field 'workrs'").hasMessageContaining("workers");
        assertThatThrownBy(() -> load("{\"name\": \"x\",\n \"runz\": []}"))
                .hasMessageContaining("unknown field 'runz' at line 2, column 2").hasMessageContaining("runs");
    }

    @Test
    void missingCorpusFile_namesThePath() {
        assertThatThrownBy(() -> load("{\"name\": \"x\", \"runs\": [{\"label\": \"a\", \"corpus\": \"nope.txt\"}]}"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("corpus: '" + dir.resolve("nope.txt") + "' is not a readable file");
    }

    @Test
    void existingCorpusFile_relativeToTheSpec_isResolved() throws IOException {
        write("text.txt", "the cat sat on the mat. ".repeat(100));
        Specs.Suite s = load("{\"name\": \"x\", \"runs\": [{\"label\": \"a\", \"corpus\": \"text.txt\"}]}");
        assertThat(s.runs().get(0).spec().data().corpus()).isEqualTo(dir.resolve("text.txt").toString());
        assertThat(s.runs().get(0).runId()).isEqualTo("a-small-text.txt-w1-r1");
    }

    @Test
    void stackSizeBelowTheJvmMinimum_reportsTheMinimumTheJvmNames() {
        assertThatThrownBy(() -> load("{\"name\": \"x\", \"runs\": [{\"label\": \"a\", \"jvmOptions\": [\"-Xss64k\"]}]}"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("jvmOptions: '-Xss64k' is below this JVM's minimum thread stack size")
                .hasMessageMatching("(?s).*expected at least \\d+[kKmM].*");
    }

    @Test
    void duplicateLabels_areRejectedBecauseTheirResultFilesWouldCollide() {
        assertThatThrownBy(() -> load("{\"name\": \"x\", \"runs\": [{\"label\": \"a\"}, {\"label\": \"a\"}]}"))
                .hasMessageContaining("run id 'a-small-8k-w1-r1' is also the id of");
    }

    @Test
    void unknownSuiteName_listsTheBuiltInSuites() {
        assertThatThrownBy(() -> Specs.load("phasez", Specs.Overrides.NONE, REGISTRIES))
                .hasMessageContaining("phases, scaling, stacks");
    }
}
