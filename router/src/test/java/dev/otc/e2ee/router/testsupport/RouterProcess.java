package dev.otc.e2ee.router.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A router {@code serve} process and the KEY=VALUE lines it printed up to READY (REST_URL, MEDIA_URL, NODE_ID, ...).
 * The one launcher for the router's process tests, the java-api failover test and the benchmarks' failover trials
 * (router test-jar); JDK only, like {@link LoopbackRedis}.
 */
public final class RouterProcess implements AutoCloseable {

    /** Queued by the stdout reader at end of stream (compared by identity). */
    private static final String END = new String("end of stdout");

    private final Process process;
    private final Map<String, String> values;

    private RouterProcess(Process process, Map<String, String> values) {
        this.process = process;
        this.values = values;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -jar <jar> args...}: the shaded jar as shipped. */
    public static List<String> jarCommand(Path jar, String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The router CLI on this JVM's class path (for modules that have the thin router jar, not the shaded one). */
    public static List<String> classPathCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-cp", System.getProperty("java.class.path"),
                "dev.otc.e2ee.router.cli.RouterCli"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Starts {@code command} (a serve command line), its stderr to {@code stderr}, and waits up to {@code ready} for
     * READY; on a timeout or an early exit the process is killed and IllegalStateException says so.
     */
    public static RouterProcess start(List<String> command, ProcessBuilder.Redirect stderr, Duration ready)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(stderr).start();
        return new RouterProcess(p, awaitReady(p, ready));
    }

    /** Reads {@code p}'s stdout on a daemon thread and collects its KEY=VALUE lines up to READY. */
    public static Map<String, String> awaitReady(Process p, Duration timeout) throws InterruptedException {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
            lines.add(END);
        }, "router-stdout-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        Map<String, String> values = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line == END) {
                p.destroyForcibly();
                throw new IllegalStateException(line == null ? "router did not print READY within " + timeout
                        : "router exited before READY");
            }
            if (line.equals("READY")) {
                return values;
            }
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
    }

    public Process process() {
        return process;
    }

    /** What it printed before READY. */
    public Map<String, String> values() {
        return values;
    }

    public String value(String key) {
        return values.get(key);
    }

    /** SIGKILL and wait for the exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
    }
}
