package dev.otc.e2ee.benchmarks.router;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;


import dev.otc.e2ee.router.testsupport.LoopbackRedis;
import dev.otc.e2ee.router.testsupport.SessionCreate;
import dev.otc.e2ee.router.DevCredentials;
import dev.otc.e2ee.router.DirectoryConfig;
import dev.otc.e2ee.router.MediaRouter;
import dev.otc.e2ee.router.RouterLimits;
import dev.otc.e2ee.router.Role;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Router load program (not a unit test): one or more publishers at {@code fps} x {@code videoBytes} video plus
 * 50 fps x 160 B audio, fanned out by an embedded router to N subscribers on loopback. For each N it reports frames/s
 * and Mbit/s forwarded, p50/p99/max router latency (the capture timestamp the publisher writes into each frame vs the
 * subscriber's receive time, same clock), the router's CPU (its I/O threads only) and heap.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.otc.e2ee.benchmarks.router.RouterLoad \
 *     [--subscribers 1,10,50,200] [--publishers 1] [--seconds 10] [--warmup 3] [--fps 30] [--video-bytes 20000]
 *     [--nodes 1,3 --sessions 3 [--redis-server /usr/bin/redis-server]]
 * </pre>
 * Without {@code --nodes}: one embedded router alone, one session. With {@code --nodes}: for each node count, that many
 * embedded routers on one test-started redis-server (issue 12), {@code --sessions} sessions created round-robin through
 * the nodes' REST APIs (the directory places each on the least loaded node) and each session's clients connected to its
 * owner; every session has {@code --publishers} publishers and N subscribers, so each row offers the same total load
 * whatever the node count.
 * Subscribers are Netty clients on their own event loop in this JVM: on a small machine they compete with the router
 * for the same cores, so the numbers are a floor for the router alone.
 */
public final class RouterLoad {

    static final int HELLO = 0x01, CONNECT = 0x02, PUBLISH = 0x03, SUBSCRIBE = 0x05, MEDIA_FRAME = 0x07;
    static final int HELLO_ACK = 0x81, CONNECTED = 0x82, PUBLISHED = 0x85, STREAM_CREATED = 0x86, SUBSCRIBED = 0x88,
            ERROR = 0x8E;
    static final int AUDIO_FPS = 50, AUDIO_BYTES = 160, KEYFRAME_INTERVAL = 60;

    public static void main(String[] args) throws Exception {
        int[] subscribers = {1, 10, 50, 200};
        int publishers = 1, seconds = 10, warmup = 3, fps = 30, videoBytes = 20_000, sessions = 1;
        int[] nodeCounts = null;
        String redisBinary = "/usr/bin/redis-server";
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--subscribers" -> subscribers = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--publishers" -> publishers = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--fps" -> fps = Integer.parseInt(v);
                case "--video-bytes" -> videoBytes = Integer.parseInt(v);
                case "--nodes" -> nodeCounts = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--sessions" -> sessions = Integer.parseInt(v);
                case "--redis-server" -> redisBinary = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "# %d CPUs, %s %s, %d publisher(s) x (%d fps x %d B video + %d fps x %d B audio)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), publishers, fps, videoBytes, AUDIO_FPS, AUDIO_BYTES);
        if (nodeCounts != null) {
            clustered(nodeCounts, sessions, subscribers, publishers, seconds, warmup, fps, videoBytes, redisBinary);
            return;
        }
        System.out.println("| subscribers | frames/s forwarded | Mbit/s forwarded | p50 ms | p99 ms | max ms "
                + "| dropped | router CPU (cores) | whole JVM CPU (cores) | heap used MB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int n : subscribers) {
            // All load clients come from one loopback address, at once: lift the abuse limits that
            // count connections, which a public router keeps (router/README.md).
            RouterLimits limits = RouterLimits.defaults().toBuilder()
                    .maxPreAuthConnectionsPerAddress(n + publishers + 16)
                    .maxConnectionsPerSession(n + publishers + 16)
                    .build();
            try (MediaRouter router = MediaRouter.builder().limits(limits).start()) {
                String session = router.createSession(false);
                System.out.println(run(List.of(router), List.of(new Placed(router, session)), n, publishers, seconds,
                        warmup, fps, videoBytes));
            }
        }
    }

    /** A session and the node that owns it (where its clients connect). */
    record Placed(MediaRouter owner, String session) {}

    /** Several nodes on one Redis, the same sessions x publishers x subscribers for every node count. */
    static void clustered(int[] nodeCounts, int sessions, int[] subscribers, int publishers, int seconds, int warmup,
                          int fps, int videoBytes, String redisBinary) throws Exception {
        DevCredentials app = DevCredentials.generateInMemory();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        System.out.println("| nodes | sessions x (publishers x subscribers) | frames/s forwarded | Mbit/s forwarded "
                + "| p50 ms | p99 ms | max ms | dropped | router CPU (cores) | whole JVM CPU (cores) | heap used MB "
                + "| Mbit/s per node |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int n : subscribers) {
            for (int nodeCount : nodeCounts) {
                RouterLimits limits = RouterLimits.defaults().toBuilder()
                        .maxPreAuthConnectionsPerAddress(sessions * (n + publishers) + 16)
                        .maxConnectionsPerSession(n + publishers + 16)
                        .build();
                List<MediaRouter> nodes = new ArrayList<>();
                try (LoopbackRedis redis = LoopbackRedis.start(redisBinary, Files.createTempDirectory("otc-redis-bench"))) {
                    try {
                        for (int i = 0; i < nodeCount; i++) {
                            nodes.add(MediaRouter.builder().limits(limits)
                                    .application(app.applicationId(), app.publicKey(), app.privateKey())
                                    .directory(DirectoryConfig.of(redis.uri(), "load" + i)).start());
                        }
                        List<Placed> placed = new ArrayList<>();
                        for (int s = 0; s < sessions; s++) {
                            placed.add(createPlaced(nodes, nodes.get(s % nodeCount), app, http));
                        }
                        String row = run(nodes, placed, n, publishers, seconds, warmup, fps, videoBytes);
                        System.out.printf(Locale.ROOT, "| %d | %d x (%d x %d) %s%n", nodeCount, sessions, publishers, n,
                                row.substring(row.indexOf('|', 1)));
                    } finally {
                        // Before Redis goes: a node whose Redis vanished first would try to reconnect while closing.
                        for (MediaRouter r : nodes) {
                            r.close();
                        }
                    }
                }
            }
        }
    }

    /** POST /session/create through {@code via}; the answer's media_server_url names the owner. */
    static Placed createPlaced(List<MediaRouter> nodes, MediaRouter via, DevCredentials app, HttpClient http)
            throws Exception {
        SessionCreate.Created c = SessionCreate.create(http, via.restUrl(), via.generateRestToken(), false);
        String url = c.mediaServerUrl();
        MediaRouter owner = nodes.stream().filter(r -> r.advertisedMediaUrl().equals(url)).findFirst()
                .orElseThrow(() -> new IllegalStateException("owner " + url + " is none of the nodes"));
        return new Placed(owner, c.sessionId());
    }

    /** @return the table row: subscribers per session, then the measured columns (and Mbit/s per node if several) */
    static String run(List<MediaRouter> nodes, List<Placed> sessions, int subscribers, int publishers, int seconds,
                      int warmup, int fps, int videoBytes) throws Exception {
        List<Publisher> pubs = new ArrayList<>();
        for (Placed s : sessions) {
            for (int p = 0; p < publishers; p++) {
                pubs.add(new Publisher(s.owner(), s.session(), p));
            }
        }
        EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("load-sub", true),
                NioIoHandler.newFactory());
        Latencies latencies = new Latencies();
        CountDownLatch subscribed = new CountDownLatch(sessions.size() * subscribers * publishers);
        List<Channel> subs = new ArrayList<>();
        for (int i = 0; i < sessions.size() * subscribers; i++) {
            Placed s = sessions.get(i % sessions.size());
            URI media = URI.create(s.owner().mediaUrl());
            String token = s.owner().generateClientToken(s.session(), Role.SUBSCRIBER, Duration.ofHours(1), null);
            Bootstrap b = new Bootstrap().group(clientGroup).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(4 * 1024 * 1024 + 4, 0, 4, 0, 4),
                                    new Subscriber(token, subscribed, latencies));
                        }
                    });
            subs.add(b.connect(new InetSocketAddress(media.getHost(), media.getPort())).sync().channel());
        }
        if (!subscribed.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("subscribers did not all subscribe");
        }
        ScheduledExecutorService sched = Executors.newScheduledThreadPool(1, new DefaultThreadFactory("load-pub", true));
        byte[] video = new byte[videoBytes];
        byte[] audio = new byte[AUDIO_BYTES];
        AtomicLong videoSeq = new AtomicLong();
        AtomicLong audioSeq = new AtomicLong();
        sched.scheduleAtFixedRate(() -> {
            long seq = videoSeq.getAndIncrement();
            for (Publisher p : pubs) {
                p.send(1, seq % KEYFRAME_INTERVAL == 0 ? 1 : 0, seq, video);
            }
        }, 0, 1_000_000 / fps, TimeUnit.MICROSECONDS);
        sched.scheduleAtFixedRate(() -> {
            long seq = audioSeq.getAndIncrement();
            for (Publisher p : pubs) {
                p.send(0, 0, seq, audio);
            }
        }, 0, 1_000_000 / AUDIO_FPS, TimeUnit.MICROSECONDS);

        Thread.sleep(warmup * 1000L);
        latencies.reset();
        long frames0 = sum(nodes, r -> r.stats().framesForwarded());
        long[] bytes0 = perNode(nodes, r -> r.stats().bytesForwarded());
        long dropped0 = sum(nodes, RouterLoad::dropped);
        long cpu0 = routerCpuNanos();
        long proc0 = processCpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long wall = System.nanoTime() - t0;
        long cpu = routerCpuNanos() - cpu0;
        long proc = processCpuNanos() - proc0;
        long frames = sum(nodes, r -> r.stats().framesForwarded()) - frames0;
        long[] bytesPerNode = perNode(nodes, r -> r.stats().bytesForwarded());
        long bytes = 0;
        for (int i = 0; i < bytesPerNode.length; i++) {
            bytesPerNode[i] -= bytes0[i];
            bytes += bytesPerNode[i];
        }
        long dropped = sum(nodes, RouterLoad::dropped) - dropped0;
        long[] lat = latencies.snapshot();
        sched.shutdownNow();
        sched.awaitTermination(5, TimeUnit.SECONDS);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        double heapMb = mem.getHeapMemoryUsage().getUsed() / 1e6;

        double secs = wall / 1e9;
        String row = String.format(Locale.ROOT, "| %d | %.0f | %.1f | %.2f | %.2f | %.2f | %d | %.2f | %.2f | %.0f |",
                subscribers, frames / secs, bytes * 8 / secs / 1e6, pct(lat, 0.50), pct(lat, 0.99), pct(lat, 1.0),
                dropped, cpu / (double) wall, proc / (double) wall, heapMb);
        if (nodes.size() > 1 || sessions.size() > 1) {
            StringBuilder per = new StringBuilder();
            for (long b : bytesPerNode) {
                per.append(per.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.0f", b * 8 / secs / 1e6));
            }
            row += " " + per + " |";
        }
        for (Channel c : subs) {
            c.close().syncUninterruptibly();
        }
        for (Publisher p : pubs) {
            p.close();
        }
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        return row;
    }

    static long sum(List<MediaRouter> nodes, java.util.function.ToLongFunction<MediaRouter> f) {
        return nodes.stream().mapToLong(f).sum();
    }

    static long[] perNode(List<MediaRouter> nodes, java.util.function.ToLongFunction<MediaRouter> f) {
        return nodes.stream().mapToLong(f).toArray();
    }

    static long dropped(MediaRouter router) {
        long sum = 0;
        for (var r : dev.otc.e2ee.router.DropReason.values()) {
            sum += router.stats().framesDropped(r);
        }
        return sum;
    }

    static double pct(long[] sortedUs, double q) {
        if (sortedUs.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sortedUs.length - 1, Math.ceil(q * sortedUs.length) - 1);
        return sortedUs[Math.max(0, i)] / 1000.0;
    }

    /** Router plus load clients: on loopback the clients' side is most of the work. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static long routerCpuNanos() {
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (var info : tm.getThreadInfo(tm.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(MediaRouter.IO_THREAD_PREFIX)) {
                long t = tm.getThreadCpuTime(info.getThreadId());
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }

    /** Latency samples in microseconds, appended from the subscriber event loop. */
    static final class Latencies {
        private long[] samples = new long[1 << 16];
        private int size;

        synchronized void add(long us) {
            if (size == samples.length) {
                samples = Arrays.copyOf(samples, size * 2);
            }
            samples[size++] = us;
        }

        synchronized void reset() {
            size = 0;
        }

        synchronized long[] snapshot() {
            long[] s = Arrays.copyOf(samples, size);
            Arrays.sort(s);
            return s;
        }
    }

    /** Blocking publisher: HELLO, CONNECT, PUBLISH, then MEDIA_FRAMEs stamped with the send time. */
    static final class Publisher {
        private final Socket socket;
        private final DataOutputStream out;
        private final String streamId;
        private final byte[] streamIdBytes;

        Publisher(MediaRouter router, String session, int index) throws IOException {
            URI media = URI.create(router.mediaUrl());
            socket = new Socket();
            socket.connect(new InetSocketAddress(media.getHost(), media.getPort()), 5000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            message(HELLO, b -> {
                b.writeInt(0x4F544350);
                b.writeShort(1);
                b.writeShort(1);
                str(b, "router-load");
            });
            expect(in, HELLO_ACK);
            String token = router.generateClientToken(session, Role.PUBLISHER, Duration.ofHours(1), null);
            message(CONNECT, b -> str(b, token));
            expect(in, CONNECTED);
            message(PUBLISH, b -> {
                b.writeInt(index);
                str(b, "load-" + index);
                b.writeByte(1);
                b.writeByte(1);
                b.writeByte(1);
                b.writeByte(16);
                b.writeByte(0);
            });
            byte[] body = expect(in, PUBLISHED);
            int len = ((body[5] & 0xFF) << 8) | (body[6] & 0xFF); // type, u32 publish_id, then str
            streamId = new String(body, 7, len, StandardCharsets.UTF_8);
            streamIdBytes = streamId.getBytes(StandardCharsets.UTF_8);
            // The router's later messages (STREAM_CREATED, keyframe requests) are read and ignored.
            Thread drain = new Thread(() -> {
                try {
                    socket.setSoTimeout(0);
                    while (true) {
                        int n = in.readInt();
                        in.skipNBytes(n);
                    }
                } catch (IOException ignored) {
                    // closed
                }
            }, "load-pub-reader");
            drain.setDaemon(true);
            drain.start();
        }

        synchronized void send(int media, int flags, long seq, byte[] payload) {
            try {
                int len = 1 + 2 + streamIdBytes.length + 3 + 8 + 4 + 2 + payload.length;
                out.writeInt(len);
                out.writeByte(MEDIA_FRAME);
                out.writeShort(streamIdBytes.length);
                out.write(streamIdBytes);
                out.writeByte(media);
                out.writeByte(media == 1 ? 1 : 16);
                out.writeByte(flags);
                out.writeLong(System.nanoTime() / 1000);
                out.writeInt((int) seq);
                out.writeByte(0);
                out.writeByte(0);
                out.write(payload);
                out.flush();
            } catch (IOException e) {
                throw new IllegalStateException("publisher write failed", e);
            }
        }

        interface Body {
            void write(DataOutputStream b) throws IOException;
        }

        void message(int type, Body body) throws IOException {
            java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(bos);
            d.writeByte(type);
            body.write(d);
            out.writeInt(bos.size());
            bos.writeTo(out);
            out.flush();
        }

        static byte[] expect(DataInputStream in, int type) throws IOException {
            while (true) {
                int n = in.readInt();
                byte[] m = new byte[n];
                in.readFully(m);
                if ((m[0] & 0xFF) == ERROR) {
                    throw new IOException("router refused: " + new String(m, 7, m.length - 7, StandardCharsets.UTF_8));
                }
                if ((m[0] & 0xFF) == type) {
                    return m;
                }
            }
        }

        void close() throws IOException {
            socket.close();
        }
    }

    static void str(DataOutputStream b, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.writeShort(bytes.length);
        b.write(bytes);
    }

    /** Netty subscriber: subscribes to every stream announced, records latency of every frame. */
    static final class Subscriber extends SimpleChannelInboundHandler<ByteBuf> {
        private final String token;
        private final CountDownLatch subscribed;
        private final Latencies latencies;

        Subscriber(String token, CountDownLatch subscribed, Latencies latencies) {
            this.token = token;
            this.subscribed = subscribed;
            this.latencies = latencies;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ByteBuf b = ctx.alloc().buffer();
            b.writeInt(0);
            b.writeByte(HELLO);
            b.writeInt(0x4F544350);
            b.writeShort(1);
            b.writeShort(1);
            writeStr(b, "router-load-sub");
            send(ctx, b);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf m) {
            int type = m.readUnsignedByte();
            switch (type) {
                case MEDIA_FRAME -> {
                    int idLen = m.readUnsignedShort();
                    m.skipBytes(idLen + 3);
                    long ts = m.readLong();
                    latencies.add(System.nanoTime() / 1000 - ts);
                }
                case HELLO_ACK -> {
                    ByteBuf b = ctx.alloc().buffer();
                    b.writeInt(0);
                    b.writeByte(CONNECT);
                    writeStr(b, token);
                    send(ctx, b);
                }
                case STREAM_CREATED -> {
                    int idLen = m.readUnsignedShort();
                    String id = m.toString(m.readerIndex(), idLen, StandardCharsets.UTF_8);
                    ByteBuf b = ctx.alloc().buffer();
                    b.writeInt(0);
                    b.writeByte(SUBSCRIBE);
                    writeStr(b, id);
                    send(ctx, b);
                }
                case SUBSCRIBED -> subscribed.countDown();
                case ERROR -> System.err.println("subscriber got ERROR " + m.readUnsignedInt());
                default -> { }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A reset when the router of a finished round closes: nothing to report.
            ctx.close();
        }

        private static void writeStr(ByteBuf b, String s) {
            int at = b.writerIndex();
            b.writeShort(0);
            b.setShort(at, ByteBufUtil.writeUtf8(b, s));
        }

        private static void send(ChannelHandlerContext ctx, ByteBuf b) {
            b.setInt(0, b.readableBytes() - 4);
            ctx.writeAndFlush(b);
        }
    }
}
