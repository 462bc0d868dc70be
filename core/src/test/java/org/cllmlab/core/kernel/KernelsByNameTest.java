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
                .hasMessageContaining("reference, blocked, vector");
    }

    /** Run in a child JVM started without the Vector API module. */
    public static void main(String[] args) {
        try {
            Kernels.byName("vector");
            System.out.println("no failure");
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage());
        }
    }

    @Test
    void byName_vectorWithoutTheModule_namesTheFlag() throws Exception {
        Process child = new ProcessBuilder(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KernelsByNameTest.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(child.waitFor()).isZero();
        assertThat(out).contains("'vector'").contains("--add-modules jdk.incubator.vector");
    }
}
