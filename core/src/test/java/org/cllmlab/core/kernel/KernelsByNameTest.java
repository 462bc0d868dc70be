package org.cllmlab.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KernelsByNameTest {

    @Test
    void byName_everyKnownName_returnsAKernelOfThatName() {
        for (String name : Kernels.NAMES) {
            assertThat(Kernels.byName(name).name()).isEqualTo(name);
        }
    }

    @Test
    void byName_unknown_listsTheKnownNames() {
        assertThatThrownBy(() -> Kernels.byName("cublas"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cublas'")
                .hasMessageContaining("reference, blocked");
    }
}
