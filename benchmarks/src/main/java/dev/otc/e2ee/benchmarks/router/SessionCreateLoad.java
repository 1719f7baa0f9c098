package dev.otc.e2ee.benchmarks.router;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.otc.e2ee.router.testsupport.LoopbackRedis;
import dev.otc.e2ee.router.DevCredentials;
import dev.otc.e2ee.router.DirectoryConfig;
import dev.otc.e2ee.router.MediaRouter;
import dev.otc.e2ee.router.Tokens;

/**
 * {@code POST /session/create} throughput: one router alone, one node on Redis, three nodes on Redis (requests
 * round-robin over the nodes). A measured loop, not JMH: the quantity is requests per second of a whole HTTP + JWT +
 * Redis round trip under a fixed number of concurrent callers. REST tokens (RS256, one per request) are minted before
 * the clock starts, so the client's signing does not count. Embedded routers in this JVM, a fresh redis-server per
 * configuration on a free loopback port.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.otc.e2ee.benchmarks.router.SessionCreateLoad \
 *      [--requests 3000] [--callers 8] [--rounds 2] [--redis-server /usr/bin/redis-server]
 * </pre>
 */
public final class SessionCreateLoad {

    public static void main(String[] args) throws Exception {
        int requests = 3000;
        int callers = 8;
        int rounds = 2;
        String redisBinary = "/usr/bin/redis-server";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--callers" -> callers = Integer.parseInt(args[++i]);
                case "--redis-server" -> redisBinary = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        DevCredentials app = DevCredentials.generateInMemory();
        System.out.println("| nodes | Redis | sessions/s | p50 ms | p99 ms | errors |");
        System.out.println("|---|---|---|---|---|---|");
        // Several rounds of the three configurations, so the first one's cold JIT shows as what it is.
        for (int round = 0; round < rounds; round++) {
            run(app, 1, null, requests, callers);
            for (int nodes : new int[] {1, 3}) {
                try (LoopbackRedis redis = LoopbackRedis.start(redisBinary, Files.createTempDirectory("otc-redis-bench"))) {
                    run(app, nodes, redis.uri(), requests, callers);
                }
            }
        }
    }

    private static void run(DevCredentials app, int nodeCount, String redisUri, int requests, int callers)
            throws Exception {
        List<MediaRouter> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < nodeCount; i++) {
                MediaRouter.Builder b = MediaRouter.builder()
                        .application(app.applicationId(), app.publicKey(), app.privateKey());
                if (redisUri != null) {
                    b.directory(DirectoryConfig.of(redisUri, "bench" + i));
                }
                nodes.add(b.start());
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            // Warm-up: JIT, connection pools, Lettuce scripts cached by Redis.
            measure(nodes, http, app, Math.min(500, requests), callers);
            double[] r = measure(nodes, http, app, requests, callers);
            System.out.printf(Locale.ROOT, "| %d | %s | %.0f | %.2f | %.2f | %.0f |%n", nodeCount,
                    redisUri == null ? "no" : "yes", r[0], r[1], r[2], r[3]);
        } finally {
            for (MediaRouter n : nodes) {
                n.close();
            }
        }
    }

    /** @return sessions/s, p50 ms, p99 ms, errors */
    private static double[] measure(List<MediaRouter> nodes, HttpClient http, DevCredentials app, int requests,
                                    int callers) throws Exception {
        ConcurrentLinkedQueue<String> tokens = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < requests; i++) {
            tokens.add(Tokens.restToken(app.applicationId(), app.privateKey(), Duration.ofMinutes(5)));
        }
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(callers);
        long start = System.nanoTime();
        for (int c = 0; c < callers; c++) {
            Thread t = new Thread(() -> {
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < requests) {
                        String rest = nodes.get(i % nodes.size()).restUrl();
                        long t0 = System.nanoTime();
                        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(rest + "/session/create"))
                                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + tokens.poll())
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("p2p.preference=disabled&e2ee=true",
                                        StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
                        latencies[i] = System.nanoTime() - t0;
                        if (resp.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
            t.start();
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new double[] {requests / seconds, sorted[requests / 2] / 1e6, sorted[(int) (requests * 0.99)] / 1e6,
                errors.get()};
    }
}
