package dev.otc.e2ee.router.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away redis-server on a free loopback port: no persistence, its own working directory, its log in
 * {@code redis.log} there. The one launcher for the router's tests, the java-api tests and the benchmarks (router
 * test-jar); it uses only the JDK so that the benchmarks can run it outside a test framework. The binary is Debian's
 * redis-server (native/scripts/ensure-build-deps.sh installs it); system property {@code redis.server} overrides it.
 */
public final class LoopbackRedis implements AutoCloseable {

    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private final String binary;
    private final int port;
    private final Path dir;
    private Process process;

    private LoopbackRedis(String binary, int port, Path dir) {
        this.binary = binary;
        this.port = port;
        this.dir = dir;
    }

    /** Starts the binary named by {@code redis.server} (default /usr/bin/redis-server), working in {@code dir}. */
    public static LoopbackRedis start(Path dir) throws IOException, InterruptedException {
        return start(System.getProperty("redis.server", "/usr/bin/redis-server"), dir);
    }

    /** Starts {@code binary} on a free loopback port, working in {@code dir}; returns once it answers PING. */
    public static LoopbackRedis start(String binary, Path dir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        LoopbackRedis r = new LoopbackRedis(binary, port, dir);
        r.launch();
        return r;
    }

    /** After {@link #stop()}: a new, empty redis-server on the same port (Redis restarted without persistence). */
    public void restart() throws IOException, InterruptedException {
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT_NS;
        while (!answersPing()) {
            if (System.nanoTime() - deadline > 0 || !process.isAlive()) {
                stop();
                throw new IllegalStateException("redis-server did not answer PING on port " + port + " (log in "
                        + dir.resolve("redis.log") + ")");
            }
            Thread.sleep(20);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** PING over RESP with a plain socket: true on +PONG. */
    public boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops it (SIGKILL: nothing to save) and waits for the exit. */
    public void stop() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
