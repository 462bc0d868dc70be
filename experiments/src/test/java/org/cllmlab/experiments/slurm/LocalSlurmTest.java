package org.cllmlab.experiments.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** When the local Slurm cannot run: the one line that says why, and skip or fail. */
class LocalSlurmTest {

    @TempDir
    Path dir;

    private void program(String name) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void missing_namesTheFirstProgramNotInstalled_andThePackagesToInstall() throws IOException {
        assertThat(LocalSlurm.missing(List.of(dir.toString()), "0"))
                .contains("slurmctld not installed: apt-get install slurmctld slurmd slurm-client munge");
        for (String p : List.of("slurmctld", "slurmd", "munged", "sbatch", "squeue", "sinfo", "scontrol")) {
            program(p);
        }
        assertThat(LocalSlurm.missing(List.of(dir.toString()), "0"))
                .contains("scancel not installed: apt-get install slurmctld slurmd slurm-client munge");
    }

    @Test
    void missing_saysWhenRootIsNeeded() throws IOException {
        for (String p : List.of("slurmctld", "slurmd", "munged", "sbatch", "squeue", "sinfo", "scontrol", "scancel",
                "setpriv")) {
            program(p);
        }
        // The munge user exists wherever munge is installed; elsewhere that is the line.
        assertThat(LocalSlurm.missing(List.of(dir.toString()), "1000")).hasValueSatisfying(m -> assertThat(m)
                .satisfiesAnyOf(s -> assertThat(s).isEqualTo("the local Slurm needs root (slurmd runs jobs as their "
                                + "user, munged as munge); this is uid 1000"),
                        s -> assertThat(s).startsWith("no munge user")));
    }

    @Test
    void unavailable_skips_butFailsUnderCi() {
        assertThat(LocalSlurm.unavailable("slurmd not installed", null)).isInstanceOf(TestAbortedException.class)
                .hasMessage("slurmd not installed");
        assertThat(LocalSlurm.unavailable("slurmd not installed", "false")).isInstanceOf(TestAbortedException.class);
        assertThat(LocalSlurm.unavailable("slurmd not installed", "true")).isInstanceOf(IllegalStateException.class)
                .hasMessage("slurmd not installed (CI is set, so the Slurm tests must run)");
    }
}
