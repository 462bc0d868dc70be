package org.cllmlab.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.cllmlab.core.kernel.ReferenceKernels;
import org.cllmlab.core.model.Preset;
import org.cllmlab.core.model.Transformer;
import org.junit.jupiter.api.Test;

class JitWarmupTest {

    @Test
    void warmup_runsPassesOnAModelOfItsOwn_andLeavesTheRunsModelWithoutCaches() {
        Transformer model = new Transformer(Preset.TINY.config(40), new ReferenceKernels());

        int passes = JitWarmup.run(model);

        assertThat(passes).isBetween(JitWarmup.MIN_PASSES, JitWarmup.MAX_PASSES);
        assertThat(model.profile().total()).as("no pass ran on the run's own model").isZero();
    }

    @Test
    void needed_onlyWhenWorkersOutnumberTheCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(JitWarmup.needed(cores)).isFalse();
        assertThat(JitWarmup.needed(cores + 1)).isTrue();
    }
}
