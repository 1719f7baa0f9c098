package dev.otc.e2ee.benchmarks.router;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;


import dev.otc.e2ee.router.testsupport.LoopbackRedis;
import dev.otc.e2ee.router.testsupport.RouterProcess;
import dev.otc.e2ee.router.testsupport.SessionCreate;
import dev.otc.e2ee.Codec;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.SessionListener;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberListener;
import dev.otc.e2ee.router.DevCredentials;
import dev.otc.e2ee.router.Role;
import dev.otc.e2ee.router.Tokens;

/**
 * Failover time distribution (issue 12): the scenario of java-api's {@code FailoverTest} repeated N times and timed,
 * without its assertions. A test-started redis-server and three {@code serve --redis} router processes (launched from
 * this JVM's class path, heartbeat 250 ms, node TTL 2 s); per trial one E2EE session, three participants (Java SDK)
 * each given a different node's URL (the SDK follows REDIRECT to the owner), each publishing 30 fps x 300 B VP8 frames
 * labelled {@code "p<i>|<counter>|"} and subscribed to the two others; then {@code kill -9} of the owner.
 *
 * <p>Measured from the kill: "reconnected" = the last participant's {@code onReconnected}; "first frame" = the moment
 * every participant has received at least one frame published after the owner was dead (a counter above the
 * publisher's count at that moment, so frames in flight before the kill never count); "every stream" = every
 * participant has such a frame from each of the two others. After a trial the participants leave and a fresh node
 * replaces the killed one, so every trial starts from three live nodes.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.otc.e2ee.benchmarks.router.FailoverTrials \
 *      [--trials 20] [--redis-server /usr/bin/redis-server] [--node-ttl PT2S] [--heartbeat PT0.25S]
 * </pre>
 */
public final class FailoverTrials {
    private static final String SECRET = "failover benchmark secret";
    private static final Duration GIVE_UP = Duration.ofSeconds(60);

    private record Node(String id, Process process, String restUrl, String mediaUrl) {}

    public static void main(String[] args) throws Exception {
        int trials = 20;
        String redisBinary = "/usr/bin/redis-server";
        String nodeTtl = "PT2S";
        String heartbeat = "PT0.25S";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trials" -> trials = Integer.parseInt(args[++i]);
                case "--redis-server" -> redisBinary = args[++i];
                case "--node-ttl" -> nodeTtl = args[++i];
                case "--heartbeat" -> heartbeat = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dev = Files.createTempDirectory("otc-failover-bench");
        DevCredentials creds = DevCredentials.loadOrCreate(dev);
        List<Node> nodes = new ArrayList<>();
        int nextNode = 0;
        long[] reconnected = new long[trials];
        long[] firstFrame = new long[trials];
        long[] everyStream = new long[trials];
        int done = 0;
        System.out.println("| trial | load1 before | all reconnected ms | first frame at every participant ms"
                + " | every stream at every participant ms |");
        System.out.println("|---|---|---|---|---|");
        try (LoopbackRedis redis = LoopbackRedis.start(redisBinary, Files.createTempDirectory("otc-redis-bench"))) {
            try {
                for (int t = 0; t < trials; t++) {
                    while (nodes.size() < 3) {
                        nodes.add(startNode(redis.uri(), "n" + nextNode++, dev, heartbeat, nodeTtl));
                    }
                    String load = loadAverage();
                    long[] r = trial(nodes, creds, t);
                    if (r == null) {
                        System.out.printf(Locale.ROOT, "| %d | %s | gave up after %d s | | |%n", t + 1, load,
                                GIVE_UP.toSeconds());
                        continue;
                    }
                    reconnected[done] = r[0];
                    firstFrame[done] = r[1];
                    everyStream[done] = r[2];
                    done++;
                    System.out.printf(Locale.ROOT, "| %d | %s | %,d | %,d | %,d |%n", t + 1, load, r[0], r[1], r[2]);
                }
            } finally {
                // Before Redis goes.
                for (Node n : nodes) {
                    n.process().destroyForcibly().waitFor();
                }
            }
        }
        System.out.println();
        System.out.println("| of " + done + " trials | min ms | p50 ms | p90 ms | max ms |");
        System.out.println("|---|---|---|---|---|");
        summary("all reconnected", Arrays.copyOf(reconnected, done));
        summary("first frame at every participant", Arrays.copyOf(firstFrame, done));
        summary("every stream at every participant", Arrays.copyOf(everyStream, done));
        System.out.println("load average after: " + loadAverage());
    }

    /** One failover; removes the killed node from {@code nodes}. @return {reconnected, first frame, every stream} ms, or null. */
    private static long[] trial(List<Node> nodes, DevCredentials creds, int t) throws Exception {
        String[] created = createSession(nodes.get(t % nodes.size()), creds);
        Node owner = nodes.stream().filter(n -> n.mediaUrl().equals(created[1])).findFirst().orElseThrow(
                () -> new IllegalStateException("owner " + created[1] + " is none of the nodes"));
        List<Participant> ps = new ArrayList<>();
        List<AutoCloseable> closeLast = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Participant p = new Participant("p" + i);
                Session s = Session.builder().applicationId(creds.applicationId()).sessionId(created[0])
                        .routerUrl(nodes.get(i).mediaUrl()).connectTimeout(Duration.ofSeconds(5))
                        .reconnectTimeout(GIVE_UP).encryptionSecret(SECRET).listener(p).build();
                closeLast.add(s);
                s.connect(Tokens.clientToken(creds.applicationId(), creds.privateKey(), created[0], Role.PUBLISHER,
                        Duration.ofHours(1), "p" + i));
                waitUntil(Duration.ofSeconds(30), () -> p.connected);
                Publisher pub = Publisher.builder().name("p" + i).videoCodec(Codec.VP8).hasAudio(false).build();
                closeLast.add(0, pub);
                s.publish(pub);
                p.startPump(pub);
                ps.add(p);
            }
            Map<String, Participant> byLabel = new HashMap<>();
            for (Participant p : ps) {
                byLabel.put(p.label, p);
            }
            for (Participant p : ps) {
                p.byLabel = Map.copyOf(byLabel);
            }
            if (!waitUntil(Duration.ofSeconds(60), () -> ps.stream().allMatch(p -> p.receivesFromAll(ps, 10)))) {
                throw new IllegalStateException("trial " + (t + 1) + ": media did not flow before the kill");
            }
            long killedAt = System.nanoTime();
            owner.process().destroyForcibly();   // SIGKILL
            if (!owner.process().waitFor(15, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the owner did not die");
            }
            nodes.remove(owner);
            // From here on, a frame counter above these was published after the owner was dead.
            for (Participant p : ps) {
                p.sentAtKill = p.sent.get();
            }
            boolean ok = waitUntil(GIVE_UP, () -> ps.stream().allMatch(p -> p.everyStreamAfterKill(ps)));
            if (!ok) {
                return null;
            }
            long reconnectedMs = 0;
            long firstMs = 0;
            long everyMs = 0;
            for (Participant p : ps) {
                reconnectedMs = Math.max(reconnectedMs, ms(p.reconnectedAt - killedAt));
                long first = Long.MAX_VALUE;
                long every = 0;
                for (long at : p.firstAfterKill.values()) {
                    first = Math.min(first, at);
                    every = Math.max(every, at);
                }
                firstMs = Math.max(firstMs, ms(first - killedAt));
                everyMs = Math.max(everyMs, ms(every - killedAt));
            }
            return new long[] {reconnectedMs, firstMs, everyMs};
        } finally {
            for (Participant p : ps) {
                p.pump.shutdownNow();
            }
            for (AutoCloseable c : closeLast) {
                c.close();
            }
        }
    }

    /** One participant: publishes its labelled frames, subscribes to every stream, notes arrival times. */
    private static final class Participant implements SessionListener, SubscriberListener {
        final String label;
        final ScheduledExecutorService pump;
        final AtomicLong sent = new AtomicLong();
        final Map<String, AtomicLong> received = new ConcurrentHashMap<>();
        /** Publisher label -> nanoTime of the first frame it published after the kill. */
        final Map<String, Long> firstAfterKill = new ConcurrentHashMap<>();
        final Set<String> subscribed = ConcurrentHashMap.newKeySet();
        /** Sent count of this participant's publisher when the owner was dead. */
        volatile long sentAtKill = Long.MAX_VALUE;
        volatile boolean connected;
        volatile long reconnectedAt;
        /** Every participant by label (to read a publisher's sentAtKill); set once all have joined. */
        volatile Map<String, Participant> byLabel = Map.of();

        Participant(String label) {
            this.label = label;
            this.pump = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread th = new Thread(r, "pump-" + label);
                th.setDaemon(true);
                return th;
            });
        }

        void startPump(Publisher publisher) {
            pump.scheduleAtFixedRate(() -> {
                long n = sent.get();
                byte[] head = (label + "|" + n + "|").getBytes(StandardCharsets.US_ASCII);
                byte[] payload = Arrays.copyOf(head, 300);
                try {
                    publisher.sendFrame(MediaFrame.video(Codec.VP8, n % 10 == 0, n * 33_333, payload));
                    sent.incrementAndGet();
                } catch (RuntimeException e) {
                    // Publisher closed at the end of the trial, or a send refused: the next tick retries.
                }
            }, 0, 33_333, TimeUnit.MICROSECONDS);
        }

        boolean receivesFromAll(List<Participant> ps, int min) {
            for (Participant p : ps) {
                if (p != this) {
                    AtomicLong c = received.get(p.label);
                    if (c == null || c.get() <= min) {
                        return false;
                    }
                }
            }
            return true;
        }

        boolean everyStreamAfterKill(List<Participant> ps) {
            return reconnectedAt != 0 && firstAfterKill.size() == ps.size() - 1;
        }

        @Override
        public void onConnected(Session session) {
            connected = true;
        }

        @Override
        public void onReconnected(Session session) {
            reconnectedAt = System.nanoTime();
        }

        @Override
        public void onStreamReceived(Session session, Stream stream) {
            if (subscribed.add(stream.id())) {
                session.subscribe(stream, this);
            }
        }

        @Override
        public void onStreamDropped(Session session, Stream stream, Stream.DropReason reason) {
            subscribed.remove(stream.id());
        }

        @Override
        public void onFrame(Subscriber subscriber, MediaFrame frame) {
            long now = System.nanoTime();
            String head = new String(frame.payloadBytes(), 0, Math.min(frame.size(), 32), StandardCharsets.US_ASCII);
            String[] parts = head.split("\\|", 3);
            if (parts.length != 3) {
                return;
            }
            received.computeIfAbsent(parts[0], k -> new AtomicLong()).incrementAndGet();
            Participant from = byLabel.get(parts[0]);
            if (from != null && Long.parseLong(parts[1]) > from.sentAtKill) {
                firstAfterKill.putIfAbsent(parts[0], now);
            }
        }
    }

    private static Node startNode(String redisUri, String id, Path dev, String heartbeat, String nodeTtl)
            throws Exception {
        RouterProcess r = RouterProcess.start(RouterProcess.classPathCommand("serve", "--dev-dir", dev.toString(),
                "--rest-port", "0", "--media-port", "0", "--redis", redisUri, "--node-id", id,
                "--heartbeat", heartbeat, "--node-ttl", nodeTtl),
                ProcessBuilder.Redirect.to(dev.resolve(id + ".log").toFile()), Duration.ofSeconds(120));
        return new Node(id, r.process(), r.value("REST_URL"), r.value("ADVERTISED_MEDIA_URL"));
    }

    /** POST /session/create through a node: {session id, media_server_url}. */
    private static String[] createSession(Node via, DevCredentials creds) throws Exception {
        SessionCreate.Created c = SessionCreate.create(HttpClient.newHttpClient(), via.restUrl(),
                SessionCreate.restToken(creds), true);
        return new String[] {c.sessionId(), c.mediaServerUrl()};
    }

    private static boolean waitUntil(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static void summary(String what, long[] values) {
        if (values.length == 0) {
            return;
        }
        long[] s = values.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d |%n", what, s[0], pct(s, 50), pct(s, 90),
                s[s.length - 1]);
    }

    /** Nearest-rank percentile. */
    private static long pct(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
