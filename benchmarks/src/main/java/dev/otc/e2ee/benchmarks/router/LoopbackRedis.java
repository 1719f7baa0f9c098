package dev.otc.e2ee.benchmarks.router;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A throw-away redis-server on a free loopback port (no persistence, its own temporary directory) for the router's
 * session directory in a benchmark run. The java-api tests have their own ({@code RedisProcess}); test classes are not
 * on the benchmarks' class path.
 */
final class LoopbackRedis implements AutoCloseable {
    private final Process process;
    private final int port;

    private LoopbackRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static LoopbackRedis start(String binary) throws Exception {
        Path dir = Files.createTempDirectory("otc-redis-bench");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return new LoopbackRedis(p, port);
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    p.destroyForcibly();
                    throw new IllegalStateException("redis-server did not start (log in " + dir + ")");
                }
                Thread.sleep(50);
            }
        }
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }
}
