package org.cllmlab.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmFlagsTest {

    @Test
    void processIds_areReplaced_otherValuesKept() {
        assertThat(JvmFlags.shown(List.of("-Xss1m", "-Dcllmlab.parentPid=41207", "-Dcllmlab.commit=6ed957c",
                "-Dother.PID=12", "-Dcllmlab.parentPid=abc")))
                .isEqualTo("-Xss1m -Dcllmlab.parentPid=<pid> -Dcllmlab.commit=6ed957c -Dother.PID=<pid>"
                        + " -Dcllmlab.parentPid=abc");
        assertThat(JvmFlags.shown(List.of())).isEqualTo("(none)");
    }

    @Test
    void fixture_flagSetsDifferingOnlyInTheRunnersPid_areShownOnce() {
        ReportModel m = ReportGenerator.model(Fixtures.DIR);

        assertThat(m.provenance().jvmFlags()).containsExactly("-Xmx2g -XX:NativeMemoryTracking=summary"
                + " --add-modules=jdk.incubator.vector -Dcllmlab.commit=6ed957c -Dcllmlab.parentPid=<pid>");
        assertThat(Tables.provenance(m)).anySatisfy(line -> assertThat(line)
                .startsWith("JVM flags (of the runs' JVMs; <pid> stands for a value that differs per process): -Xmx2g"));
    }
}
