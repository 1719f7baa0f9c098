package dev.otc.e2ee.router;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The media router: a Vonage-compatible REST API plus the media port of docs/PROTOCOL.md, forwarding opaque frames.
 * <pre>{@code
 * try (MediaRouter router = MediaRouter.builder().start()) {
 *     String sessionId = router.createSession(true);
 *     String token = router.generateClientToken(sessionId, Role.PUBLISHER, Duration.ofHours(1), null);
 *     // connect a client to router.mediaUrl() with the token
 * }
 * }</pre>
 */
public final class MediaRouter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MediaRouter.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Prefix of the router's I/O thread names. */
    public static final String IO_THREAD_PREFIX = "otc-router-io";

    private final RouterCore core;
    private final EventLoopGroup group;
    private final Channel restChannel;
    private final Channel mediaChannel;
    private final Channel metricsChannel;
    private final String metricsUrl;
    private final String restUrl;
    private final String mediaUrl;
    private final PrivateKey privateKey;
    private final X509Certificate tlsCertificate;
    private final HttpClient http;
    private volatile boolean closed;
    private final NodeDirectory directory;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicBoolean drainStarted = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.Set<String> moving = ConcurrentHashMap.newKeySet();

    private MediaRouter(Builder b) throws InterruptedException {
        DevCredentials generated = null;
        String appId = b.applicationId;
        RSAPublicKey publicKey = b.publicKey;
        PrivateKey priv = b.privateKey;
        if (appId == null) {
            generated = b.devDirectory != null ? DevCredentials.loadOrCreate(b.devDirectory) : DevCredentials.generateInMemory();
            appId = generated.applicationId();
            publicKey = generated.publicKey();
            priv = generated.privateKey();
        }
        this.privateKey = priv;
        Application app = new Application(appId, publicKey, b.policy);
        core = new RouterCore(app, new RouterConfig(b.subscriberQueueBytes, b.subscriberAudioQueueBytes,
                "otc-e2ee-router/" + version(), b.metricsFromAnyAddress,
                b.metricsToken == null ? null : b.metricsToken.clone(), b.metricsPort >= 0, b.limits));
        RouterLimits limits = b.limits;

        SslContext ssl = b.sslContext;
        X509Certificate cert = null;
        if (ssl == null && b.tlsSelfSigned) {
            SelfSignedTls.Material m = SelfSignedTls.create("localhost");
            ssl = m.serverContext();
            cert = m.certificate();
        }
        this.tlsCertificate = cert;
        final SslContext sslContext = ssl;

        // Named threads: operators (and the load program) tell the router's CPU time apart from the rest.
        group = new MultiThreadIoEventLoopGroup(b.ioThreads, new DefaultThreadFactory(IO_THREAD_PREFIX, true),
                NioIoHandler.newFactory());
        boolean ok = false;
        try {
            ServerBootstrap rest = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            restPipeline(ch, true, b.metricsPort < 0);
                        }
                    });
            restChannel = rest.bind(b.bindAddress, b.restPort).sync().channel();
            if (b.metricsPort >= 0) {
                metricsChannel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                restPipeline(ch, false, true);
                            }
                        }).bind(b.metricsBindAddress, b.metricsPort).sync().channel();
            } else {
                metricsChannel = null;
            }

            ServerBootstrap media = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 128 * 1024))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (sslContext != null) {
                                ch.pipeline().addLast(sslContext.newHandler(ch.alloc()));
                            }
                            // Before CONNECT only small messages; HandshakeHandler replaces itself with the member
                            // handlers (MediaForwarder, SessionHandler, ConnectionLifecycle) and swaps in the 4 MiB
                            // decoder once the client is authenticated.
                            ch.pipeline().addLast(WireFrameDecoder.NAME,
                                    new WireFrameDecoder(core.stats, limits.preAuthMaxMessageBytes(), true));
                            ch.pipeline().addLast(new HandshakeHandler(core));
                        }
                    });
            mediaChannel = media.bind(b.bindAddress, b.mediaPort).sync().channel();
            ok = true;
        } finally {
            if (!ok) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
        String host = b.publicHost != null ? b.publicHost : advertisedHost(b.bindAddress);
        restUrl = "http://" + host + ":" + ((InetSocketAddress) restChannel.localAddress()).getPort();
        mediaUrl = (sslContext != null ? "tls://" : "tcp://") + host + ":"
                + ((InetSocketAddress) mediaChannel.localAddress()).getPort();
        core.mediaUrl = mediaUrl;
        metricsUrl = metricsChannel == null ? restUrl + "/metrics"
                : "http://" + advertisedHost(b.metricsBindAddress) + ":"
                        + ((InetSocketAddress) metricsChannel.localAddress()).getPort() + "/metrics";
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        if (b.directory != null) {
            NodeDirectory d = null;
            try {
                d = new NodeDirectory(b.directory, core);
                d.start(mediaUrl, restUrl, group);
            } catch (RuntimeException e) {
                if (d != null) {
                    d.close();
                }
                restChannel.close();
                mediaChannel.close();
                if (metricsChannel != null) {
                    metricsChannel.close();
                }
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw e;
            }
            directory = d;
            core.directory = d;
            core.drainRequest = this::drain;
        } else {
            directory = null;
        }
        if (!limits.sessionEmptyTimeout().isZero()) {
            // Sweep a few times per timeout so a session goes at most ~25% late; never more often than every 50 ms.
            long period = Math.max(50, Math.min(30_000, limits.sessionEmptyTimeout().toMillis() / 4));
            group.next().scheduleAtFixedRate(() -> {
                try {
                    core.expireSessions();
                } catch (RuntimeException e) {
                    // A periodic task that throws is never run again: log and keep sweeping.
                    LOG.log(System.Logger.Level.WARNING, "session expiry sweep failed", e);
                }
            }, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * HTTP on the REST (and metrics) port. The deadline handler bounds how long a request may take to arrive, header
     * and body limits bound what it may cost; REST bodies are small forms or JSON.
     */
    private void restPipeline(SocketChannel ch, boolean api, boolean metrics) {
        ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192), new HttpObjectAggregator(64 * 1024),
                new RestDeadlineHandler(core.config.limits().restRequestTimeout().toMillis(), core.stats),
                new RestHandler(core, api, metrics));
    }

    private static String advertisedHost(String bind) {
        if (bind.equals("0.0.0.0") || bind.equals("::") || bind.isEmpty()) {
            return "127.0.0.1";
        }
        return NetUtil.isValidIpV6Address(bind) ? "[" + bind + "]" : bind;
    }

    private static String version() {
        String v = MediaRouter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** e.g. {@code http://127.0.0.1:41234}: what to give the Vonage SDK as its video base URI. */
    public String restUrl() {
        return restUrl;
    }

    /** e.g. {@code tcp://127.0.0.1:41235}, or {@code tls://...} with TLS: where clients connect. */
    public String mediaUrl() {
        return mediaUrl;
    }

    /** Where {@code GET /metrics} is served: on the REST port, or on a port of its own ({@link Builder#metricsPort}). */
    public String metricsUrl() {
        return metricsUrl;
    }

    /** The limits this router enforces. */
    public RouterLimits limits() {
        return core.config.limits();
    }

    public String applicationId() {
        return core.app.id();
    }

    /** The application's private key, for signing REST JWTs (null if the router was given only the public key). */
    public PrivateKey applicationPrivateKey() {
        return privateKey;
    }

    public RSAPublicKey applicationPublicKey() {
        return core.app.publicKey();
    }

    public E2eePolicy e2eePolicy() {
        return core.app.policy();
    }

    /** The dev self-signed certificate, so a client can trust exactly it; null without {@code tlsSelfSigned}. */
    public X509Certificate tlsCertificate() {
        return tlsCertificate;
    }

    /** This node's id in the directory; null without one. */
    public String nodeId() {
        return directory == null ? null : directory.nodeId();
    }

    /** The media URL other nodes hand out for this one (its own unless an advertise URL was set); without a
     *  directory, {@link #mediaUrl()}. */
    public String advertisedMediaUrl() {
        return directory == null || directory.config().advertiseUrl() == null ? mediaUrl
                : directory.config().advertiseUrl();
    }

    /**
     * Several nodes: leaves the candidate set, gives each session it holds to another live node and sends that
     * session's clients REDIRECT(new owner, 2). The future completes when no client and no session is left, or after
     * the drain timeout (then {@link #close()} disconnects whoever remains). Idempotent: every call returns the same
     * future. SIGTERM runs it under {@code serve --redis}, as does {@code POST /node/drain}.
     * @throws IllegalStateException without a directory
     */
    public CompletableFuture<Void> drain() {
        if (directory == null) {
            throw new IllegalStateException("draining needs a directory (several nodes); this router runs alone");
        }
        if (!drainStarted.compareAndSet(false, true)) {
            return drained;
        }
        core.stats.drainStarted();
        LOG.log(System.Logger.Level.INFO, "draining: moving every session to other nodes");
        long deadline = System.nanoTime() + directory.config().drainTimeout().toNanos();
        directory.setDraining().whenComplete((v, e) -> group.next().execute(() -> drainStep(deadline)));
        return drained;
    }

    /** The future {@link #drain()} returns (never completes unless draining was started). */
    public CompletableFuture<Void> drained() {
        return drained;
    }

    /** One round of draining, repeated until empty: move the sessions not yet moved (a move that found no free node
     *  is retried next round). */
    private void drainStep(long deadlineNanos) {
        if (closed || drained.isDone()) {
            return;
        }
        if (core.sessions.isEmpty() && core.stats.connections() == 0) {
            LOG.log(System.Logger.Level.INFO, "drained: no session left");
            drained.complete(null);
            return;
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            LOG.log(System.Logger.Level.WARNING, "drain timeout: " + core.stats.connections() + " clients left");
            drained.complete(null);
            return;
        }
        for (String sid : core.sessions.keySet()) {
            if (moving.add(sid)) {
                directory.move(sid).whenComplete((url, e) -> {
                    if (e != null) {
                        core.stats.directoryError();
                    } else if (url != null) {
                        core.moveSession(sid, url);
                    }
                    moving.remove(sid);
                });
            }
        }
        group.next().schedule(() -> drainStep(deadlineNanos), 100, TimeUnit.MILLISECONDS);
    }

    /** Package-private: tests look at sessions directly. */
    RouterCore core() {
        return core;
    }

    public RouterStats stats() {
        return core.stats;
    }

    public void addMediaObserver(MediaObserver observer) {
        core.observers.add(Objects.requireNonNull(observer));
    }

    public void removeMediaObserver(MediaObserver observer) {
        core.observers.remove(observer);
    }

    /** A REST JWT as the Vonage SDKs make them, valid for five minutes. */
    public String generateRestToken() {
        return Jwts.mintRestToken(applicationId(), requirePrivateKey(), Duration.ofMinutes(5));
    }

    /** A client token of the same shape as the Vonage SDK's {@code generateToken}. */
    public String generateClientToken(String sessionId, Role role, Duration ttl, String connectionData) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(ttl, "ttl");
        return Jwts.mintClientToken(applicationId(), requirePrivateKey(), sessionId, role, ttl, connectionData);
    }

    /**
     * Creates a routed session through the REST API itself (so it exercises what the SDKs use).
     * @return the session id
     */
    public String createSession(boolean e2ee) {
        return createSession(restUrl, generateRestToken(), e2ee, http);
    }

    /** Creates a routed session on any router's REST API; used by this class and by the CLI. */
    public static String createSession(String restUrl, String restToken, boolean e2ee, HttpClient http) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(restUrl + "/session/create"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + restToken)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("p2p.preference=disabled&e2ee=" + e2ee))
                .build();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                throw new IllegalStateException("session/create answered " + resp.statusCode() + ": " + resp.body());
            }
            JsonNode arr = JSON.readTree(resp.body());
            return arr.get(0).get("session_id").asText();
        } catch (IOException e) {
            throw new IllegalStateException("session/create failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private PrivateKey requirePrivateKey() {
        if (privateKey == null) {
            throw new IllegalStateException("this router was given only the application's public key");
        }
        return privateKey;
    }

    /** Stops the router: every client gets DISCONNECTING(1040) before its socket closes. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        core.stopping = true;
        restChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (metricsChannel != null) {
            metricsChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        mediaChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel ch : core.mediaChannels) {
            ConnectionLifecycle c = ch.pipeline().get(ConnectionLifecycle.class);
            HandshakeHandler h = ch.pipeline().get(HandshakeHandler.class);
            if (c != null) {
                ch.eventLoop().execute(() -> c.shutdown("the router is shutting down"));
            } else if (h != null) {
                ch.eventLoop().execute(() -> h.shutdown("the router is shutting down"));
            }
            closing.add(ch.closeFuture());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (ChannelFuture f : closing) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !f.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                f.channel().close();
            }
        }
        if (directory != null) {
            directory.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (core.config.metricsToken() != null) {
            java.util.Arrays.fill(core.config.metricsToken(), (byte) 0);
        }
        LOG.log(System.Logger.Level.DEBUG, "router stopped");
    }

    /** Settings of a router; every one has a default that suits an embedded router in a test. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private String publicHost;
        private int restPort;
        private int mediaPort;
        private String applicationId;
        private RSAPublicKey publicKey;
        private PrivateKey privateKey;
        private Path devDirectory;
        private E2eePolicy policy = E2eePolicy.ALLOWED;
        private SslContext sslContext;
        private boolean tlsSelfSigned;
        private long subscriberQueueBytes = 2L * 1024 * 1024;
        private long subscriberAudioQueueBytes = 64L * 1024;
        private RouterLimits limits = RouterLimits.defaults();
        private byte[] metricsToken;
        private int metricsPort = -1;
        private String metricsBindAddress = "127.0.0.1";
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private boolean metricsFromAnyAddress;
        private DirectoryConfig directory;

        private Builder() {
        }

        /** Join the shared session directory on Redis as one of several nodes (router/README.md); default: alone. */
        public Builder directory(DirectoryConfig config) {
            this.directory = Objects.requireNonNull(config);
            return this;
        }

        /** Address both ports bind to; default 127.0.0.1. */
        public Builder bindAddress(String address) {
            this.bindAddress = Objects.requireNonNull(address);
            return this;
        }

        /** Host named in the REST and media URLs; default the bind address (127.0.0.1 for a wildcard bind). */
        public Builder publicHost(String host) {
            this.publicHost = host;
            return this;
        }

        /** 0 (default) picks a free port. */
        public Builder restPort(int port) {
            this.restPort = checkPort(port);
            return this;
        }

        /** 0 (default) picks a free port. */
        public Builder mediaPort(int port) {
            this.mediaPort = checkPort(port);
            return this;
        }

        /** The application whose JWTs this router accepts; without it, a fresh one is generated. */
        public Builder application(String applicationId, RSAPublicKey publicKey) {
            this.applicationId = Objects.requireNonNull(applicationId);
            this.publicKey = Objects.requireNonNull(publicKey);
            return this;
        }

        /** Same, also keeping the private key so {@link #generateClientToken} and friends work. */
        public Builder application(String applicationId, RSAPublicKey publicKey, PrivateKey privateKey) {
            application(applicationId, publicKey);
            this.privateKey = Objects.requireNonNull(privateKey);
            return this;
        }

        /** Dev mode: use (creating on first start) the application kept in {@code directory}. */
        public Builder devDirectory(Path directory) {
            this.devDirectory = Objects.requireNonNull(directory);
            return this;
        }

        public Builder e2eePolicy(E2eePolicy policy) {
            this.policy = Objects.requireNonNull(policy);
            return this;
        }

        /** TLS on the media port with a PEM certificate chain and PKCS#8 key. */
        public Builder tls(Path certificateChain, Path privateKey) {
            try {
                this.sslContext = SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile()).build();
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalArgumentException("cannot load the TLS certificate or key: " + e.getMessage(), e);
            }
            return this;
        }

        public Builder tls(SslContext serverContext) {
            this.sslContext = Objects.requireNonNull(serverContext);
            return this;
        }

        /** Dev mode TLS with a throw-away self-signed certificate (see {@link MediaRouter#tlsCertificate()}). */
        public Builder tlsSelfSigned() {
            this.tlsSelfSigned = true;
            return this;
        }

        /** Bound of each client's video+control send queue; default 2 MiB. */
        public Builder subscriberQueueBytes(long bytes) {
            if (bytes < 64 * 1024) {
                throw new IllegalArgumentException("subscriber queue must be at least 64 KiB");
            }
            this.subscriberQueueBytes = bytes;
            return this;
        }

        /** Bound of each client's audio send queue; default 64 KiB (about 7 s of 160-byte Opus frames). */
        public Builder subscriberAudioQueueBytes(long bytes) {
            if (bytes < 4 * 1024) {
                throw new IllegalArgumentException("audio queue must be at least 4 KiB");
            }
            this.subscriberAudioQueueBytes = bytes;
            return this;
        }

        /** How long a client may take from TCP connect to CONNECT; default 5 s (same as
         *  {@link RouterLimits#handshakeTimeout()}). */
        public Builder connectTimeout(Duration timeout) {
            this.limits = limits.toBuilder().handshakeTimeout(timeout).build();
            return this;
        }

        /** The abuse limits; default {@link RouterLimits#defaults()}. */
        public Builder limits(RouterLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /**
         * Require {@code Authorization: Bearer <token>} on {@code /metrics} (from any address). The router keeps a
         * byte copy and wipes it on close; the String given here cannot be wiped by anyone.
         */
        public Builder metricsToken(String token) {
            if (token == null || token.length() < 16) {
                throw new IllegalArgumentException("the metrics token must have at least 16 characters");
            }
            this.metricsToken = token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return this;
        }

        /** Serve {@code /metrics} on a port of its own (0: any free port) instead of the REST port; default off. */
        public Builder metricsPort(int port) {
            this.metricsPort = checkPort(port);
            return this;
        }

        /** Address the metrics port binds to; default 127.0.0.1. */
        public Builder metricsBindAddress(String address) {
            this.metricsBindAddress = Objects.requireNonNull(address);
            return this;
        }

        /** Event loop threads; default the number of CPUs. */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("ioThreads must be >= 1");
            }
            this.ioThreads = threads;
            return this;
        }

        /** Serve {@code /metrics} to any address, not only loopback. */
        public Builder metricsFromAnyAddress(boolean allow) {
            this.metricsFromAnyAddress = allow;
            return this;
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            return port;
        }

        /** Binds both ports and returns the running router. */
        public MediaRouter start() {
            try {
                return new MediaRouter(this);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the router", e);
            }
        }
    }
}
