package dev.otc.e2ee.router;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away redis-server for one test: a free loopback port, no persistence, its own working directory. The binary
 * comes from the system property {@code redis.server} (the router pom sets /usr/bin/redis-server; the build's
 * dependency script installs Debian's redis-server).
 */
final class RedisServer implements AutoCloseable {

    private Process process;
    final int port;
    private final Path dir;

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    static RedisServer start(Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisServer r = new RedisServer(port, dir);
        r.launch();
        return r;
    }

    /** After {@link #stop()}: a new, empty redis-server on the same port (Redis restarted without persistence). */
    void restart() throws Exception {
        launch();
    }

    private void launch() throws Exception {
        String binary = System.getProperty("redis.server", "/usr/bin/redis-server");
        process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start();
        Poll.until("redis-server answers PING on port " + port, 30_000, this::answersPing);
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** PING over RESP with a plain socket: true on +PONG. */
    boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] b = new byte[7];
            int n = in.readNBytes(b, 0, 7);
            return n == 7 && new String(b, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops it (SIGKILL: nothing to save) and waits for the exit. */
    void stop() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
