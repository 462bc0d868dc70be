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
        Files.writeString(Files.createDirectories(dir.resolve("topology")).resolve("thread_siblings_list"), "0,8\n");

        CpuShape shape = CpuShape.detect(info, dir.resolve("cache"), "amd64", 2);

        assertThat(shape).isEqualTo(new CpuShape(32, 32 * 1024, 1024 * 1024, 32L * 1024 * 1024, 2, 2, "sysfs"));
        assertThat(shape.l3PerCore()).isEqualTo(16L * 1024 * 1024);
    }

    @Test
    void detect_nothingReadable_fallsBackToSixteenRegistersAndSmallCaches() {
        CpuShape shape = CpuShape.detect(dir.resolve("none"), dir.resolve("none"), "amd64", 4);

        assertThat(shape).isEqualTo(new CpuShape(16, CpuShape.FALLBACK_L1D, CpuShape.FALLBACK_L2,
                CpuShape.FALLBACK_L3, 4, CpuShape.FALLBACK_THREADS_PER_CORE, "fallback"));
    }

    @Test
    void detect_aCoreWithoutSiblings_oneThreadPerCore() throws IOException {
        cache(0, "1", "Data", "32K", "0");
        cache(1, "2", "Unified", "512K", "0");
        Files.writeString(Files.createDirectories(dir.resolve("topology")).resolve("thread_siblings_list"), "0\n");

        assertThat(CpuShape.detect(dir.resolve("none"), dir.resolve("cache"), "amd64", 2).threadsPerCore())
                .isEqualTo(1);
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
        // Zen 4: 1 MiB of L2, 12-row tiles of 32 floats: KC 512 (from L2), blocks of 512 KiB.
        assertThat(VectorKernels.depthBlock(12, 32 * 1024, 1024 * 1024, 32)).isEqualTo(512);
        // Zen 3: 4-row tiles of 16 floats read B from its 32 KiB L1d: KC 256, whatever the L2.
        assertThat(VectorKernels.depthBlock(4, 32 * 1024, 512 * 1024, 16)).isEqualTo(256);
        assertThat(VectorKernels.depthBlock(4, 32 * 1024, 8 * 1024 * 1024, 16)).isEqualTo(256);
        // An AVX-512 Intel core: 48 KiB L1d, 2 MiB L2: 512 (capped).
        assertThat(VectorKernels.depthBlock(12, 48 * 1024, 2 * 1024 * 1024, 32)).isEqualTo(512);
        // Tiny caches keep a floor of 64.
        assertThat(VectorKernels.depthBlock(4, 4 * 1024, 64 * 1024, 16)).isEqualTo(64);
        assertThat(VectorKernels.blockFloats(1024 * 1024)).isEqualTo(128 * 1024);
        assertThat(VectorKernels.tileRows(32)).isEqualTo(12);
        assertThat(VectorKernels.tileRows(16)).isEqualTo(4);
    }
}
