package org.cllmlab.experiments.slurm;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * A real Slurm cluster of one node on this machine, for tests: {@code munged} (as the {@code munge} user,
 * with its own key and socket), {@code slurmctld} and {@code slurmd} in the foreground, over loopback on
 * free ports, with their configuration, state, spool and logs in a temporary folder. No systemd, and
 * nothing of the machine's own Slurm or munge configuration is used.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final LocalSlurm SLURM = new LocalSlurm();
 * ... new Slurm(SLURM.env()) ...
 * </pre>
 *
 * Where Slurm is not installed or cannot start, the test class is skipped with one line saying why; with
 * the environment variable {@code CI} set, it fails instead (CI installs Slurm, and must run the tests).
 * Needs root: {@code slurmd} runs jobs as their user and {@code munged} runs as {@code munge}.
 * Everything started is stopped in {@link #close()}, and by a shutdown hook if the JVM ends first.
 */
public final class LocalSlurm implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, AutoCloseable {

    /** The Debian packages that hold the daemons and commands. */
    public static final String PACKAGES = "slurmctld slurmd slurm-client munge";

    /** Set on the daemons and on every command (hence every job), so that leftovers can be found and ended. */
    static final String MARKER = "CLLMLAB_LOCAL_SLURM";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(45);
    private static final List<String> SBIN = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");

    private Path dir;
    private Path conf;
    private Process munged;
    private Process slurmctld;
    private Process slurmd;
    private Thread shutdownHook;
    /** The one thread that starts the daemons: their parent, for the parent-death signal. */
    private ExecutorService starter;
    private Duration startup;
    private TestAbortedException skipped;
    private final Map<String, String> env = new LinkedHashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            start();
        } catch (TestAbortedException e) {
            // Skipped test by test, so that the reports count them as skipped; the reason once, here.
            skipped = e;
            System.out.println(context.getDisplayName() + " skipped: " + e.getMessage());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (skipped != null) {
            throw new TestAbortedException(skipped.getMessage());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /**
     * Starts the cluster and waits until its node is idle. Skips the calling test (or fails it, under CI)
     * when that cannot be done.
     */
    public synchronized void start() {
        if (slurmd != null) {
            return;
        }
        Optional<String> missing = missing();
        if (missing.isPresent()) {
            throw cannotRun(missing.get(), null);
        }
        long t0 = System.nanoTime();
        try {
            launch();
        } catch (Exception e) {
            String tails = logTails();
            close();
            throw cannotRun("the local Slurm did not start: " + SlurmText.oneLine(String.valueOf(e.getMessage()),
                    300), tails);
        }
        startup = Duration.ofNanos(System.nanoTime() - t0);
        System.out.printf(Locale.ROOT, "local Slurm up in %.1f s (%s)%n", startup.toMillis() / 1000.0, dir);
    }

    /** What to add to a command's environment so that it talks to this cluster: {@code SLURM_CONF} and a marker. */
    public Map<String, String> env() {
        if (conf == null) {
            throw new IllegalStateException("the local Slurm is not started");
        }
        return Map.copyOf(env);
    }

    /** The folder that holds the configuration, state and logs. */
    public Path dir() {
        return dir;
    }

    /** How long the daemons took to start, until the node was idle. */
    public Duration startup() {
        return startup;
    }

    /** Where Slurm's (or munge's) command {@code name} is: on PATH, or in an sbin folder. */
    public static Path bin(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException(name + " is not installed"));
    }

    private static Optional<Path> find(String name) {
        return find(name, searchPath());
    }

    /** PATH's folders, then the sbin folders (where Debian puts the daemons). */
    private static List<String> searchPath() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(SBIN);
        return dirs;
    }

    private static Optional<Path> find(String name, List<String> dirs) {
        return Slurm.find(name, String.join(File.pathSeparator, dirs));
    }

    /** Why this machine cannot run the cluster, in one line; empty when it can. */
    static Optional<String> missing() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.of("the local Slurm needs Linux, not " + System.getProperty("os.name"));
        }
        return missing(searchPath(), uid());
    }

    /** As {@link #missing()}, looking for the programs in {@code dirs}, as user {@code uid}. */
    static Optional<String> missing(List<String> dirs, String uid) {
        for (String name : List.of("slurmctld", "slurmd", "munged", "sbatch", "squeue", "sinfo", "scontrol",
                "scancel")) {
            if (find(name, dirs).isEmpty()) {
                return Optional.of(name + " not installed: apt-get install " + PACKAGES);
            }
        }
        if (find("setpriv", dirs).isEmpty()) {
            return Optional.of("setpriv not installed (it starts munged as the munge user): apt-get install util-linux");
        }
        try {
            UserPrincipalLookupService users = Path.of("/").getFileSystem().getUserPrincipalLookupService();
            users.lookupPrincipalByName("munge");
        } catch (UserPrincipalNotFoundException e) {
            return Optional.of("no munge user (the munge package creates it): apt-get install munge");
        } catch (IOException e) {
            return Optional.of("the munge user could not be looked up: " + e.getMessage());
        }
        if (!"0".equals(uid)) {
            return Optional.of("the local Slurm needs root (slurmd runs jobs as their user, munged as munge); "
                    + "this is uid " + uid);
        }
        return Optional.empty();
    }

    private static String uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).strip().split("\\s+")[0];
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return "unknown";
    }

    /**
     * What to throw when the cluster cannot run: a skip with {@code why}, or, under CI, a failure;
     * {@code details} (log tails) go to stderr either way.
     */
    private static RuntimeException cannotRun(String why, String details) {
        if (details != null && !details.isBlank()) {
            System.err.println(why + "\n" + details);
        }
        return unavailable(why, System.getenv("CI"));
    }

    /** A skip with {@code why}, or a failure when {@code ci} (the variable CI) is set. */
    static RuntimeException unavailable(String why, String ci) {
        if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
            return new IllegalStateException(why + " (CI is set, so the Slurm tests must run)");
        }
        return new TestAbortedException(why);
    }

    private void launch() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("cllmlab-slurm-");
        // munged, as munge, must reach its socket and key below here.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        shutdownHook = new Thread(this::close, "local-slurm-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Path log = Files.createDirectories(dir.resolve("log"));
        Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(dir.resolve("spool"));

        Path munge = Files.createDirectories(dir.resolve("munge"));
        Path key = munge.resolve("munge.key");
        byte[] bytes = new byte[1024];
        new SecureRandom().nextBytes(bytes);
        Files.write(key, bytes);
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal mungeUser = users.lookupPrincipalByName("munge");
        GroupPrincipal mungeGroup = users.lookupPrincipalByGroupName("munge");
        for (Path p : List.of(munge, key)) {
            PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
            view.setOwner(mungeUser);
            view.setGroup(mungeGroup);
        }
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        Files.setPosixFilePermissions(munge, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = munge.resolve("munge.socket");
        munged = daemon("munged", List.of("--reuid=munge", "--regid=munge", "--init-groups"), List.of(
                bin("munged").toString(), "--foreground", "--socket=" + socket, "--key-file=" + key,
                "--log-file=" + munge.resolve("munged.log"), "--pid-file=" + munge.resolve("munged.pid"),
                "--seed-file=" + munge.resolve("munged.seed")), log.resolve("munged.out"));
        waitFor(() -> Files.exists(socket), () -> "munged to create its socket " + socket, Map.of("munged", munged));

        int ctldPort = freePort();
        int slurmdPort = freePort();
        while (slurmdPort == ctldPort) {
            slurmdPort = freePort();
        }
        conf = dir.resolve("slurm.conf");
        Files.writeString(conf, config(socket, ctldPort, slurmdPort), StandardCharsets.UTF_8);
        env.put("SLURM_CONF", conf.toString());
        env.put(MARKER, dir.toString());

        slurmctld = daemon("slurmctld", List.of(),
                List.of(bin("slurmctld").toString(), "-D", "-i", "-f", conf.toString()), log.resolve("slurmctld.out"));
        slurmd = daemon("slurmd", List.of(),
                List.of(bin("slurmd").toString(), "-D", "-N", "localhost", "-f", conf.toString()),
                log.resolve("slurmd.out"));
        // sinfo waits seconds for a controller that does not answer: ask it only once slurmctld listens.
        waitFor(() -> listens(ctldPort), () -> "slurmctld to listen on port " + ctldPort,
                Map.of("slurmctld", slurmctld, "slurmd", slurmd));
        String[] state = {""};
        waitFor(() -> {
            state[0] = sinfoState();
            return state[0].equals("idle");
        }, () -> "sinfo to report the node idle (it said \"" + state[0] + "\")",
                Map.of("slurmctld", slurmctld, "slurmd", slurmd));
    }

    /** A minimal one-node cluster: no accounting, no cgroups, every path under the temporary folder. */
    private String config(Path mungeSocket, int ctldPort, int slurmdPort) {
        return String.join("\n",
                "# A one-node Slurm for cllm-lab's tests, written by LocalSlurm.",
                "ClusterName=cllmlab-test",
                "SlurmctldHost=localhost(127.0.0.1)",
                "SlurmctldPort=" + ctldPort,
                "SlurmdPort=" + slurmdPort,
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "CredType=cred/munge",
                "AuthInfo=socket=" + mungeSocket,
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "MpiDefault=none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core_Memory",
                // Jobs without --mem would otherwise take the node's whole memory, one at a time.
                "DefMemPerCPU=1000",
                "AccountingStorageType=accounting_storage/none",
                "JobAcctGatherType=jobacct_gather/none",
                "JobCompType=jobcomp/none",
                "MailProg=/bin/true",
                // The node is what this file says, whatever the machine has.
                "SlurmdParameters=config_overrides",
                "ReturnToService=2",
                "KillWait=5",
                "MinJobAge=300",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
                "NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=4000 State=UNKNOWN",
                "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP",
                "");
    }

    /**
     * Starts {@code cmd} under {@code setpriv} (with {@code setpriv} options, e.g. another user), so that it
     * gets SIGTERM when its parent thread ends: the starter thread lives until {@link #close()}, and dies
     * with this JVM however it ends, even killed.
     */
    private Process daemon(String name, List<String> setpriv, List<String> cmd, Path out) throws IOException {
        List<String> argv = new ArrayList<>(List.of(bin("setpriv").toString(), "--pdeathsig", "SIGTERM"));
        argv.addAll(setpriv);
        argv.add("--");
        argv.addAll(cmd);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put(MARKER, dir.toString());
        if (conf != null) {
            pb.environment().put("SLURM_CONF", conf.toString());
        }
        if (starter == null) {
            starter = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "local-slurm-parent");
                t.setDaemon(true);
                return t;
            });
        }
        try {
            return starter.submit(pb::start).get();
        } catch (ExecutionException e) {
            throw new IOException(name + " could not be started: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(name + " was not started: interrupted", e);
        }
    }

    private interface Check {
        boolean ok() throws IOException, InterruptedException;
    }

    /** Waits until {@code check} holds, while every one of {@code daemons} (by name) lives, within the bound. */
    private void waitFor(Check check, Supplier<String> what, Map<String, Process> daemons)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            for (Map.Entry<String, Process> d : daemons.entrySet()) {
                if (!d.getValue().isAlive()) {
                    throw new IOException(d.getKey() + " exited with status " + d.getValue().exitValue()
                            + " while waiting for " + what.get() + lastWords(d.getKey()));
                }
            }
            if (check.ok()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("gave up after " + START_TIMEOUT.toSeconds() + " s waiting for " + what.get());
            }
            Thread.sleep(100);
        }
    }

    /** {@code "; it said: LAST LINE"} from a daemon's output, or nothing. */
    private String lastWords(String daemon) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("log").resolve(daemon + ".out"), StandardCharsets.UTF_8)
                    .stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : "; it said: " + lines.get(lines.size() - 1).strip();
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static boolean listens(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String sinfoState() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(bin("sinfo").toString(), "-h", "-n", "localhost", "-o", "%t")
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "sinfo did not answer";
        }
        return SlurmText.oneLine(out, 200);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The last lines of every daemon's logs, for a message. */
    String logTails() {
        if (dir == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Path p : List.of(dir.resolve("munge/munged.log"), dir.resolve("log/munged.out"),
                dir.resolve("log/slurmctld.log"), dir.resolve("log/slurmctld.out"), dir.resolve("log/slurmd.log"),
                dir.resolve("log/slurmd.out"))) {
            if (!Files.isRegularFile(p)) {
                continue;
            }
            try {
                List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                sb.append("--- ").append(p).append(" (last lines)\n");
                for (String l : lines.subList(Math.max(0, lines.size() - 15), lines.size())) {
                    sb.append(l).append('\n');
                }
            } catch (IOException | UncheckedIOException e) {
                sb.append("--- ").append(p).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Cancels every job, stops the daemons, ends any process left with this cluster's marker (job steps,
     * their children) and removes the temporary folder.
     */
    @Override
    public synchronized void close() {
        if (slurmctld != null && slurmctld.isAlive() && conf != null) {
            cancelAllJobs();
        }
        stop(slurmd);
        stop(slurmctld);
        endLeftovers(munged);
        stop(munged);
        slurmd = null;
        slurmctld = null;
        munged = null;
        if (starter != null) {
            starter.shutdown();
            starter = null;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: this is the hook
            }
            shutdownHook = null;
        }
        if (dir != null) {
            deleteTree(dir);
            dir = null;
        }
        conf = null;
        env.clear();
    }

    private void cancelAllJobs() {
        try {
            Slurm slurm = new Slurm(env, Duration.ofSeconds(15));
            slurm.run(List.of("scancel", "--user=" + System.getProperty("user.name", "root")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline
                    && !slurm.run(List.of("squeue", "-h", "-o", "%i")).stdout().isBlank()) {
                Thread.sleep(200);
            }
        } catch (IOException e) {
            System.err.println("local Slurm: the jobs could not be cancelled: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stop(Process p) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Processes whose environment holds this cluster's marker: job steps and what they started. */
    private void endLeftovers(Process keep) {
        if (dir == null) {
            return;
        }
        byte[] marker = (MARKER + "=" + dir + "\0").getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        long kept = keep == null ? -1 : keep.pid();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(h -> h.pid() != self && h.pid() != kept && hasMarker(h.pid(), marker)).forEach(h -> {
                System.err.println("local Slurm: ending leftover process " + h.pid() + " "
                        + h.info().commandLine().orElse(""));
                h.destroyForcibly();
            });
        }
    }

    private static boolean hasMarker(long pid, byte[] marker) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        } catch (IOException | SecurityException e) {
            return false;
        }
        // Entries are NUL-terminated; match one whole entry.
        outer:
        for (int i = 0; i + marker.length <= environ.length; i++) {
            if (i > 0 && environ[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < marker.length; j++) {
                if (environ[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a socket or file still in use; the folder is temporary
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("local Slurm: " + root + " could not be removed: " + e.getMessage());
        }
    }
}
