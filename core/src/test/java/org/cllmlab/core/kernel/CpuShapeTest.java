package org.cllmlab.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuShapeTest {

    @TempDir
    Path dir;

    private void cache(int index, String level, String type, String size, String shared) throws IOException {
        Path d = Files.createDirectories(dir.resolve("cache/index" + index));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
        Files.writeString(d.resolve("shared_cpu_list"), shared + "\n");
    }

    @Test
    void detect_sysfsAndAvx512Flags_readsCachesAndThirtyTwoRegisters() throws IOException {
        cache(0, "1", "Data", "32K", "0");
        cache(1, "1", "Instruction", "32K", "0");
        cache(2, "2", "Unified", "1024K", "0");
        cache(3, "3", "Unified", "32768K", "0-1");
        Path info = Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nflags\t\t: fpu sse avx2 avx512f avx512bw\n");

        CpuShape shape = CpuShape.detect(info, dir.resolve("cache"), "amd64", 2);

        assertThat(shape).isEqualTo(new CpuShape(32, 32 * 1024, 1024 * 1024, 32L * 1024 * 1024, 2, "sysfs"));
        assertThat(shape.l3PerCore()).isEqualTo(16L * 1024 * 1024);
    }

    @Test
    void detect_nothingReadable_fallsBackToSixteenRegistersAndSmallCaches() {
        CpuShape shape = CpuShape.detect(dir.resolve("none"), dir.resolve("none"), "amd64", 4);

        assertThat(shape).isEqualTo(new CpuShape(16, CpuShape.FALLBACK_L1D, CpuShape.FALLBACK_L2,
                CpuShape.FALLBACK_L3, 4, "fallback"));
    }

    @Test
    void detect_avx2Only_sixteenRegisters_aarch64_thirtyTwo() throws IOException {
        Path info = Files.writeString(dir.resolve("cpuinfo"), "flags\t\t: fpu sse avx2 fma avx512_bf16x\n");

        assertThat(CpuShape.detect(info, dir, "amd64", 1).vectorRegisters()).isEqualTo(16);
        assertThat(CpuShape.detect(info, dir, "aarch64", 1).vectorRegisters()).isEqualTo(32);
    }

    @Test
    void parseSize_unitsAndGarbage() {
        assertThat(CpuShape.parseSize("32K")).isEqualTo(32 * 1024);
        assertThat(CpuShape.parseSize("2M")).isEqualTo(2 * 1024 * 1024);
        assertThat(CpuShape.parseSize("4096")).isEqualTo(4096);
        assertThat(CpuShape.parseSize("lots")).isEqualTo(-1);
        assertThat(CpuShape.countCpus("0-3,8,10-11", 1)).isEqualTo(7);
    }

    @Test
    void vectorKernels_blocksFollowTheCaches() {
        // Zen 4: 1 MiB of L2, 32-float tiles: KC 512, blocks of 512 KiB; a 256 KiB L2 with 16-float tiles: KC 256.
        assertThat(VectorKernels.depthBlock(1024 * 1024, 32)).isEqualTo(512);
        assertThat(VectorKernels.depthBlock(256 * 1024, 16)).isEqualTo(256);
        assertThat(VectorKernels.blockFloats(1024 * 1024)).isEqualTo(128 * 1024);
        assertThat(VectorKernels.tileRows(32)).isEqualTo(12);
        assertThat(VectorKernels.tileRows(16)).isEqualTo(4);
    }
}
