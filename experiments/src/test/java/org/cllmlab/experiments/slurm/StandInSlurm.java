package org.cllmlab.experiments.slurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * Stand-ins for Slurm's commands, in a folder of their own to put first on PATH, for tests that need no real
 * cluster. Each records how it was called, then runs the shell text it was given.
 */
public final class StandInSlurm {

    private final Path dir;
    private final Path bin;

    /** Stand-ins in {@code dir/bin}, recording into {@code dir}. */
    public StandInSlurm(Path dir) throws IOException {
        this.dir = dir;
        this.bin = Files.createDirectories(dir.resolve("bin"));
    }

    /** The folder of the stand-ins. */
    public Path bin() {
        return bin;
    }

    /** An environment whose PATH finds the stand-ins first, then the system's commands. */
    public Map<String, String> env() {
        return Map.of("PATH", bin + ":/usr/bin:/bin");
    }

    /**
     * A stand-in for {@code name} that runs {@code body} (bash): it writes the arguments of its last call to
     * {@code name.args}, one a line, and appends each call's arguments to {@code name.calls}, one call a line.
     */
    public void command(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/bash\nprintf '%s\\n' \"$@\" > " + ArrayScript.shellWord(record(name, "args")) + "\n"
                + "echo \"$*\" >> " + ArrayScript.shellWord(record(name, "calls")) + "\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Every command the client needs, each doing nothing and exiting 0. */
    public void allCommands() throws IOException {
        for (String c : Slurm.COMMANDS) {
            command(c, "exit 0");
        }
    }

    /** The arguments of {@code name}'s last call, one per element. */
    public List<String> args(String name) throws IOException {
        return Files.readAllLines(Path.of(record(name, "args")));
    }

    /** Each call of {@code name}, its arguments joined by spaces; none when it was never called. */
    public List<String> calls(String name) throws IOException {
        Path f = Path.of(record(name, "calls"));
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    private String record(String name, String what) {
        return dir.resolve(name + "." + what).toString();
    }
}
