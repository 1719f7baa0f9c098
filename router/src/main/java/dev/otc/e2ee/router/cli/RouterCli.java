package dev.otc.e2ee.router.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

import dev.otc.e2ee.router.DevCredentials;
import dev.otc.e2ee.router.DirectoryConfig;
import dev.otc.e2ee.router.E2eePolicy;
import dev.otc.e2ee.router.MediaRouter;
import dev.otc.e2ee.router.PemKeys;
import dev.otc.e2ee.router.Role;
import dev.otc.e2ee.router.RouterLimits;
import dev.otc.e2ee.router.Tokens;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code java -jar otc-e2ee-router.jar}: serve, and the dev helpers token and session-create. */
@Command(name = "otc-e2ee-router", mixinStandardHelpOptions = true, versionProvider = RouterCli.Version.class,
        description = "Media router for otc-e2ee sessions: Vonage-compatible REST API and the media port.",
        subcommands = {RouterCli.Serve.class, RouterCli.Token.class, RouterCli.SessionCreate.class, RouterCli.Drain.class,
                CommandLine.HelpCommand.class})
public final class RouterCli {

    static final Path DEFAULT_DEV_DIR = Path.of(System.getProperty("user.home"), ".otc-e2ee-router");

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new RouterCli());
        // Bad input (a key file that is not PEM, a port in use) deserves one clear line, not a stack trace.
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + ex.getMessage());
            return 2;
        });
        System.exit(cli.execute(args));
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Runs the router until SIGTERM/SIGINT.",
                    "Without --application-id it runs in dev mode: the application (id + RSA key pair) is created in "
                            + "--dev-dir on first start and reused after.",
                    "Once listening it prints REST_URL=, MEDIA_URL=, APPLICATION_ID= (and DEV_DIR= in dev mode) "
                            + "lines on stdout, then READY."})
    static final class Serve implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Bind address of both ports (default: ${DEFAULT-VALUE}).")
        String bind;

        @Option(names = "--public-host", description = "Host to put in the REST and media URLs (default: the bind address).")
        String publicHost;

        @Option(names = "--rest-port", defaultValue = "3000", description = "REST port, 0 = any free port (default: ${DEFAULT-VALUE}).")
        int restPort;

        @Option(names = "--media-port", defaultValue = "3001", description = "Media port, 0 = any free port (default: ${DEFAULT-VALUE}).")
        int mediaPort;

        @Option(names = "--application-id", description = "The application's id (a UUID); requires --public-key.")
        String applicationId;

        @Option(names = "--public-key", description = "The application's RSA public key, SPKI PEM file.")
        Path publicKey;

        @Option(names = "--dev-dir", description = "Dev mode: directory holding the generated application (default: ${DEFAULT-VALUE}).")
        Path devDir = DEFAULT_DEV_DIR;

        @Option(names = "--e2ee-policy", defaultValue = "allowed",
                description = "off | allowed | required (default: ${DEFAULT-VALUE}).")
        String policy;

        @Option(names = "--tls-cert", description = "PEM certificate chain: TLS on the media port (with --tls-key).")
        Path tlsCert;

        @Option(names = "--tls-key", description = "PKCS#8 PEM private key of --tls-cert.")
        Path tlsKey;

        @Option(names = "--tls-self-signed", description = "Dev mode TLS on the media port with a throw-away self-signed certificate.")
        boolean tlsSelfSigned;

        @Option(names = "--subscriber-queue-bytes", defaultValue = "2097152",
                description = "Bound of each client's send queue (default: ${DEFAULT-VALUE}).")
        long queueBytes;

        @Option(names = "--metrics-public", description = "Serve /metrics to any address, not only loopback.")
        boolean metricsPublic;

        @Option(names = "--metrics-token-file", description = "File holding a bearer token (16+ characters) that "
                + "/metrics then requires, from any address. Recommended behind a reverse proxy, where every peer "
                + "looks like loopback.")
        Path metricsTokenFile;

        @Option(names = "--metrics-port", defaultValue = "-1",
                description = "Serve /metrics on this port instead of the REST port; -1 = off, 0 = any free port "
                        + "(default: ${DEFAULT-VALUE}).")
        int metricsPort;

        @Option(names = "--metrics-bind", defaultValue = "127.0.0.1",
                description = "Bind address of --metrics-port (default: ${DEFAULT-VALUE}).")
        String metricsBind;

        // Abuse limits (router/README.md has the table). Durations are ISO-8601 (PT5S, PT10M, P30D).
        @Option(names = "--pre-auth-max-message-bytes", defaultValue = "8192",
                description = "Largest message before CONNECT (default: ${DEFAULT-VALUE}).")
        int preAuthMaxMessageBytes;

        @Option(names = "--handshake-timeout", defaultValue = "PT5S",
                description = "Time from TCP accept to a completed CONNECT (default: ${DEFAULT-VALUE}).")
        Duration handshakeTimeout;

        @Option(names = "--max-pending-connections", defaultValue = "1024",
                description = "Media connections not yet past CONNECT, router-wide (default: ${DEFAULT-VALUE}).")
        int maxPending;

        @Option(names = "--max-pending-connections-per-address", defaultValue = "128",
                description = "The same, per remote address (default: ${DEFAULT-VALUE}).")
        int maxPendingPerAddress;

        @Option(names = "--max-sessions", defaultValue = "10000",
                description = "Live sessions of the application (default: ${DEFAULT-VALUE}).")
        int maxSessions;

        @Option(names = "--session-empty-timeout", defaultValue = "PT10M",
                description = "A session without connections this long is removed; PT0S = never (default: ${DEFAULT-VALUE}).")
        Duration sessionEmptyTimeout;

        @Option(names = "--max-connections-per-session", defaultValue = "256",
                description = "Connected clients per session (default: ${DEFAULT-VALUE}).")
        int maxConnectionsPerSession;

        @Option(names = "--max-streams-per-connection", defaultValue = "8",
                description = "Streams one connection may publish at once (default: ${DEFAULT-VALUE}).")
        int maxStreamsPerConnection;

        @Option(names = "--max-streams-per-session", defaultValue = "256",
                description = "Streams per session (default: ${DEFAULT-VALUE}).")
        int maxStreamsPerSession;

        @Option(names = "--keyframe-request-interval", defaultValue = "PT0.5S",
                description = "Client keyframe requests forwarded per subscriber and stream: one per interval "
                        + "(default: ${DEFAULT-VALUE}).")
        Duration keyframeRequestInterval;

        @Option(names = "--keyframe-request-burst", defaultValue = "3",
                description = "... after a burst of this many (default: ${DEFAULT-VALUE}).")
        int keyframeRequestBurst;

        @Option(names = "--rest-request-timeout", defaultValue = "PT10S",
                description = "A REST request must be complete this long after the connection opened or the last "
                        + "response (default: ${DEFAULT-VALUE}).")
        Duration restRequestTimeout;

        @Option(names = "--rest-token-max-age", defaultValue = "PT5M",
                description = "Oldest iat of a REST token without exp (default: ${DEFAULT-VALUE}).")
        Duration restTokenMaxAge;

        @Option(names = "--rest-token-max-lifetime", defaultValue = "PT1H",
                description = "Longest exp - iat of a REST token (default: ${DEFAULT-VALUE}).")
        Duration restTokenMaxLifetime;

        @Option(names = "--rest-jti-cache-size", defaultValue = "100000",
                description = "REST token ids remembered against replay (default: ${DEFAULT-VALUE}).")
        int restJtiCacheSize;

        @Option(names = "--client-token-max-lifetime", defaultValue = "P30D",
                description = "Longest exp - iat of a client token (default: ${DEFAULT-VALUE}).")
        Duration clientTokenMaxLifetime;

        // Several nodes sharing a session directory on Redis (router/README.md, "Several nodes").
        @Option(names = "--redis", description = "Join the session directory at this Redis (Lettuce URI: "
                + "redis://host:port, rediss:// for TLS, redis://:password@host:port). Without it the router runs alone.")
        String redis;

        @Option(names = "--node-id", description = "This node's id among the nodes sharing --redis (default: a random one).")
        String nodeId;

        @Option(names = "--advertise-url", description = "Media URL the other nodes hand out for this one (default: "
                + "its own MEDIA_URL).")
        String advertiseUrl;

        @Option(names = "--heartbeat", defaultValue = "PT1S",
                description = "How often the node refreshes its directory entry (default: ${DEFAULT-VALUE}).")
        Duration heartbeat;

        @Option(names = "--node-ttl", defaultValue = "PT3S",
                description = "A node whose entry is this old is dead; its sessions move (default: ${DEFAULT-VALUE}).")
        Duration nodeTtl;

        @Option(names = "--node-capacity", defaultValue = "0",
                description = "Sessions this node may own; 0 = --max-sessions (default: ${DEFAULT-VALUE}).")
        int nodeCapacity;

        @Option(names = "--drain-timeout", defaultValue = "PT30S",
                description = "Draining (SIGTERM with --redis) stops the node after this at the latest (default: ${DEFAULT-VALUE}).")
        Duration drainTimeout;

        /** The limits the flags name; with no flag given, exactly {@link RouterLimits#defaults()} (a test checks). */
        RouterLimits limits() {
            return RouterLimits.builder().preAuthMaxMessageBytes(preAuthMaxMessageBytes).handshakeTimeout(handshakeTimeout)
                    .maxPreAuthConnections(maxPending).maxPreAuthConnectionsPerAddress(maxPendingPerAddress)
                    .maxSessions(maxSessions).sessionEmptyTimeout(sessionEmptyTimeout)
                    .maxConnectionsPerSession(maxConnectionsPerSession).maxStreamsPerConnection(maxStreamsPerConnection)
                    .maxStreamsPerSession(maxStreamsPerSession).keyframeRequestInterval(keyframeRequestInterval)
                    .keyframeRequestBurst(keyframeRequestBurst).restRequestTimeout(restRequestTimeout)
                    .restTokenMaxAge(restTokenMaxAge).restTokenMaxLifetime(restTokenMaxLifetime)
                    .restJtiCacheSize(restJtiCacheSize).clientTokenMaxLifetime(clientTokenMaxLifetime).build();
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            MediaRouter.Builder b = MediaRouter.builder().bindAddress(bind).restPort(restPort).mediaPort(mediaPort)
                    .publicHost(publicHost).e2eePolicy(E2eePolicy.parse(policy)).subscriberQueueBytes(queueBytes)
                    .metricsFromAnyAddress(metricsPublic);
            try {
                b.limits(limits());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (metricsTokenFile != null) {
                // Read as bytes, trimmed of the trailing newline an editor adds; the String the builder takes cannot
                // be wiped, the byte copies here are.
                byte[] raw = Files.readAllBytes(metricsTokenFile);
                String token = new String(raw, StandardCharsets.UTF_8).strip();
                java.util.Arrays.fill(raw, (byte) 0);
                b.metricsToken(token);
            }
            if (metricsPort >= 0) {
                b.metricsPort(metricsPort).metricsBindAddress(metricsBind);
            }
            boolean dev = applicationId == null;
            DevCredentials creds = null;
            if (dev) {
                if (publicKey != null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--public-key needs --application-id");
                }
                creds = DevCredentials.loadOrCreate(devDir);
                b.application(creds.applicationId(), creds.publicKey(), creds.privateKey());
            } else {
                if (publicKey == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--application-id needs --public-key");
                }
                RSAPublicKey key = PemKeys.parsePublicKey(Files.readString(publicKey, StandardCharsets.US_ASCII));
                b.application(applicationId, key);
            }
            if (tlsCert != null || tlsKey != null) {
                if (tlsCert == null || tlsKey == null || tlsSelfSigned) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "TLS needs both --tls-cert and --tls-key, or --tls-self-signed alone");
                }
                b.tls(tlsCert, tlsKey);
            } else if (tlsSelfSigned) {
                b.tlsSelfSigned();
            }
            if (redis != null) {
                try {
                    b.directory(new DirectoryConfig(redis, nodeId != null ? nodeId
                            : "node-" + java.util.UUID.randomUUID().toString().substring(0, 8), advertiseUrl, heartbeat,
                            nodeTtl, nodeCapacity, drainTimeout));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
            } else if (nodeId != null || advertiseUrl != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--node-id and --advertise-url need --redis");
            }
            MediaRouter router = b.start();
            CountDownLatch stopped = new CountDownLatch(1);
            if (redis != null) {
                // Several nodes: SIGTERM drains (clients are sent to other nodes) and the process exits 0 once empty or
                // after --drain-timeout; so does POST /node/drain. SIGINT still stops at once.
                sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> router.drain());
                router.drained().thenRun(() -> {
                    router.close();
                    stopped.countDown();
                });
            }
            // SIGTERM and SIGINT run shutdown hooks: clients get DISCONNECTING before the JVM exits.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                router.close();
                stopped.countDown();
            }, "router-shutdown"));
            if (dev) {
                out.println("# dev mode: application " + (creds.created() ? "created" : "loaded") + " in "
                        + creds.directory().toAbsolutePath() + " (private key: "
                        + creds.directory().resolve(DevCredentials.PRIVATE_KEY_FILE).toAbsolutePath() + ")");
                out.println("DEV_DIR=" + creds.directory().toAbsolutePath());
            }
            out.println("REST_URL=" + router.restUrl());
            out.println("MEDIA_URL=" + router.mediaUrl());
            out.println("APPLICATION_ID=" + router.applicationId());
            out.println("METRICS_URL=" + router.metricsUrl());
            out.println("E2EE_POLICY=" + router.e2eePolicy().name().toLowerCase(java.util.Locale.ROOT));
            if (router.nodeId() != null) {
                out.println("NODE_ID=" + router.nodeId());
                out.println("ADVERTISED_MEDIA_URL=" + router.advertisedMediaUrl());
            }
            out.println("READY");
            out.flush();
            stopped.await();
            return 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Mints a client token from the dev application (prints the JWT alone on one line).")
    static final class Token implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--session", required = true, description = "Session id.")
        String session;

        @Option(names = "--role", defaultValue = "publisher",
                description = "publisher | subscriber | moderator | publisheronly (default: ${DEFAULT-VALUE}).")
        String role;

        @Option(names = "--ttl", defaultValue = "PT24H", description = "Time to live, ISO-8601 duration (default: ${DEFAULT-VALUE}).")
        Duration ttl;

        @Option(names = "--data", description = "Connection data attached to the token.")
        String data;

        @Mixin
        DevDir dev;

        @Override
        public Integer call() {
            DevCredentials creds = dev.load();
            Role r;
            try {
                r = Role.fromClaim(role);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            return printResult(spec, Tokens.clientToken(creds.applicationId(), creds.privateKey(), session, r, ttl, data));
        }
    }

    @Command(name = "session-create", mixinStandardHelpOptions = true,
            description = "Creates a routed session through a running router's REST API; prints SESSION_ID=...")
    static final class SessionCreate implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RestTarget target;

        @Option(names = "--e2ee", description = "Make the session end-to-end encrypted.")
        boolean e2ee;

        @Override
        public Integer call() {
            String id = MediaRouter.createSession(target.restUrl, target.restToken(), e2ee, restClient());
            return printResult(spec, "SESSION_ID=" + id);
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = "Asks a running node (serve --redis) to drain: its clients move to other nodes, then it exits 0.")
    static final class Drain implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RestTarget target;

        @Override
        public Integer call() throws Exception {
            java.net.http.HttpResponse<String> resp = restClient()
                    .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(target.restUrl + "/node/drain"))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + target.restToken())
                            .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 202) {
                throw new IllegalStateException("node/drain answered " + resp.statusCode() + ": " + resp.body());
            }
            return printResult(spec, "DRAINING");
        }
    }

    /** The dev helpers' answer: one line on the command's stdout, exit code 0. */
    static int printResult(CommandLine.Model.CommandSpec spec, String line) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(line);
        out.flush();
        return 0;
    }

    /** The dev helpers' --dev-dir: where the dev application (its id and private key) is. */
    static final class DevDir {
        @Option(names = "--dev-dir", description = "Dev application directory (default: ${DEFAULT-VALUE}).")
        Path devDir = DEFAULT_DEV_DIR;

        DevCredentials load() {
            return DevCredentials.load(devDir);
        }
    }

    /** The running node a dev helper calls (--rest-url), with a short-lived REST token of the dev application. */
    static final class RestTarget {
        @Option(names = "--rest-url", required = true, description = "The node's REST URL (its REST_URL= line).")
        String restUrl;

        @Mixin
        DevDir dev;

        String restToken() {
            DevCredentials creds = dev.load();
            return Tokens.restToken(creds.applicationId(), creds.privateKey(), Duration.ofMinutes(5));
        }
    }

    static java.net.http.HttpClient restClient() {
        return java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RouterCli.class.getPackage().getImplementationVersion();
            return new String[] {"otc-e2ee-router " + (v == null ? "dev" : v)};
        }
    }
}
