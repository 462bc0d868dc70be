package org.cllmlab.experiments.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts the tests' one-node Slurm and keeps it up until stdin ends (Ctrl-D) or this process is stopped,
 * to try the CLI against it from a shell:
 * <pre>
 * java -cp TEST_CLASS_PATH org.cllmlab.experiments.slurm.LocalSlurmMain [ENV_FILE]
 * . ENV_FILE   # in another shell: export SLURM_CONF=...
 * ./lab run phases --preset tiny --slurm --out /tmp/phases
 * </pre>
 * The daemons stop with this process, however it ends.
 */
public final class LocalSlurmMain {

    private LocalSlurmMain() {
    }

    public static void main(String[] args) throws IOException {
        LocalSlurm slurm = new LocalSlurm();
        slurm.start();
        StringBuilder exports = new StringBuilder();
        for (Map.Entry<String, String> e : slurm.env().entrySet()) {
            exports.append("export ").append(e.getKey()).append('=').append(ArrayScript.shellWord(e.getValue()))
                    .append('\n');
        }
        if (args.length > 0) {
            Files.writeString(Path.of(args[0]), exports, StandardCharsets.UTF_8);
            System.out.println("wrote " + args[0]);
        }
        System.out.print(exports);
        System.out.println("the local Slurm is up; end stdin (Ctrl-D) or stop this process to stop it");
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // until stdin ends
            }
        } finally {
            slurm.close();
        }
    }
}
