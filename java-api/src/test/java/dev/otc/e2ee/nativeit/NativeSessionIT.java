package dev.otc.e2ee.nativeit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.router.MediaObserver;
import dev.otc.e2ee.router.MediaRouter;
import dev.otc.e2ee.router.Role;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the native session integration test program ({@code native/test/session/it/otc_session_it.c},
 * built by CMake as {@code otc_session_it}) against a real embedded router: this class starts the
 * router, creates one E2EE and one plain session through its REST API, mints client tokens, runs
 * the C program once per case and asserts its exit code and its result line. A media observer on
 * the router checks, for every case, that the plaintext marker the C publishers put in every
 * frame never reaches the router in the E2EE session.
 */
class NativeSessionIT {

    private static final byte[] MARKER = "OTC-PLAINTEXT-MARKER".getBytes(StandardCharsets.US_ASCII);
    private static final Duration CASE_TIMEOUT = Duration.ofSeconds(90);
    /** End of the program's output (compared by identity). */
    private static final String END = new String("<end>");

    private static Path program;
    private static Router tcp;
    private static Router tls;
    private static Path tlsCaFile;

    /** An embedded router with one session of each kind and counters of what its observer saw. */
    private static final class Router implements AutoCloseable {
        final MediaRouter router;
        final String e2eeSession;
        final String plainSession;
        final AtomicLong e2eeFrames = new AtomicLong();
        final AtomicLong e2eeMarkerHits = new AtomicLong();
        final AtomicLong plainFrames = new AtomicLong();
        final AtomicLong plainMarkerHits = new AtomicLong();

        Router(MediaRouter router) {
            this.router = router;
            this.e2eeSession = router.createSession(true);
            this.plainSession = router.createSession(false);
            MediaObserver observer = (sessionId, streamId, direction, message) -> {
                boolean marked = Bytes.contains(message, MARKER);
                if (sessionId.equals(e2eeSession)) {
                    e2eeFrames.incrementAndGet();
                    if (marked) {
                        e2eeMarkerHits.incrementAndGet();
                    }
                } else if (sessionId.equals(plainSession)) {
                    plainFrames.incrementAndGet();
                    if (marked) {
                        plainMarkerHits.incrementAndGet();
                    }
                }
            };
            router.addMediaObserver(observer);
        }

        String tokens(String sessionId) {
            return IntStream.range(0, 3)
                    .mapToObj(i -> router.generateClientToken(sessionId, Role.PUBLISHER, Duration.ofHours(1), "it-" + i))
                    .collect(Collectors.joining(","));
        }

        @Override
        public void close() {
            router.close();
        }
    }

    @BeforeAll
    static void startRouters(@TempDir Path dir) throws IOException {
        program = programPath();
        assertThat(Files.isExecutable(program))
                .as("the native integration test program %s (built by the native module's CMake build)", program)
                .isTrue();
        tcp = new Router(MediaRouter.builder().start());
        // The self-signed certificate names localhost and 127.0.0.1; the C client verifies both
        // the chain (against this PEM) and the host name.
        MediaRouter secure = MediaRouter.builder().tlsSelfSigned().publicHost("localhost").start();
        tls = new Router(secure);
        Path pem = dir.resolve("router-ca.pem");
        try {
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(secure.tlsCertificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
        tlsCaFile = pem;
    }

    @AfterAll
    static void stopRouters() {
        if (tcp != null) {
            tcp.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    /** Every case the program has (its --list), so a case added in C cannot go unrun. */
    static List<String> nativeCases() throws Exception {
        Process p = new ProcessBuilder(programPath().toString(), "--list").redirectErrorStream(true).start();
        List<String> names;
        try (BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            names = br.lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(names).contains("invalid_secret", "mismatch_match", "rotation_zero_loss", "non_e2ee", "internal_errors");
        return names;
    }

    private static Path programPath() {
        return Paths.get(System.getProperty("otc.session.it",
                Paths.get("..", "native", "target", "cmake-release", "otc_session_it").toString())).toAbsolutePath();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nativeCases")
    void nativeCaseOverTcp(String name) throws Exception {
        Result r = run(tcp, null, name);
        assertThat(r.output).as(r.describe()).contains("CASE " + name + " PASS");
        assertThat(r.exitCode).as(r.describe()).isZero();
        assertThat(tcp.e2eeMarkerHits.get()).as("plaintext marker seen by the router in the E2EE session").isZero();
    }

    /** The same client code over TLS, with the router's certificate as the only trust anchor. */
    @ParameterizedTest(name = "tls {0}")
    @ValueSource(strings = {"mismatch_match", "non_e2ee", "signal", "connection_dropped"})
    void nativeCaseOverTls(String name) throws Exception {
        assertThat(tls.router.mediaUrl()).startsWith("tls://localhost:");
        Result r = run(tls, tlsCaFile, name);
        assertThat(r.output).as(r.describe()).contains("CASE " + name + " PASS");
        assertThat(r.exitCode).as(r.describe()).isZero();
        assertThat(tls.e2eeMarkerHits.get()).isZero();
    }

    /** Without the router's certificate as trust anchor, a TLS connect fails with CONNECTION_FAILED. */
    @Test
    void tlsWithoutTrustFails() throws Exception {
        Result r = run(tls, null, "signal");
        assertThat(r.exitCode).as(r.describe()).isNotZero();
        assertThat(r.output).as(r.describe()).contains("CASE signal FAIL").contains("errors=1 last=1006");
    }

    /**
     * The observer itself works: it finds the marker in the plain session, and the E2EE session's
     * frames, which it also sees, never carry it — in what the router receives and in what it forwards.
     */
    @Test
    void routerHandlesOnlyCiphertextInTheE2eeSession() throws Exception {
        long e2eeBefore = tcp.e2eeFrames.get();
        long plainBefore = tcp.plainMarkerHits.get();
        Result r = run(tcp, null, "rotation_zero_loss", "non_e2ee");
        assertThat(r.exitCode).as(r.describe()).isZero();
        assertThat(tcp.e2eeFrames.get() - e2eeBefore).as("E2EE frames observed").isGreaterThan(100);
        assertThat(tcp.plainMarkerHits.get() - plainBefore).as("marker found in plain frames").isGreaterThan(10);
        assertThat(tcp.e2eeMarkerHits.get()).isZero();
    }

    /**
     * The router stops mid-session (MediaRouter.close(): DISCONNECTING then close): the C clients
     * report OTC_SESSION_ROUTER_SHUTDOWN once and on_disconnected, and the program ends by itself.
     */
    @Test
    void routerShutdownReachesNativeClients() throws Exception {
        Router doomed = new Router(MediaRouter.builder().start());
        try {
            ProcessBuilder pb = new ProcessBuilder(program.toString(), "router_shutdown").redirectErrorStream(true);
            environment(pb, doomed, null);
            Process p = pb.start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    br.lines().forEach(lines::add);
                } catch (IOException | java.io.UncheckedIOException ignored) {
                    // the process ended
                }
                lines.add(END);
            });
            reader.start();
            StringBuilder out = new StringBuilder();
            long deadline = System.nanoTime() + CASE_TIMEOUT.toNanos();
            boolean closed = false;
            try {
                for (;;) {
                    String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    assertThat(line).as("the program hung:\n%s", out).isNotNull();
                    if (line == END) {
                        break;
                    }
                    out.append(line).append('\n');
                    if (!closed && line.equals("READY router_shutdown")) {
                        doomed.close();
                        closed = true;
                    }
                }
                assertThat(closed).as("the program never got ready:\n%s", out).isTrue();
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            assertThat(out.toString()).contains("CASE router_shutdown PASS");
            assertThat(p.exitValue()).as(out.toString()).isZero();
        } finally {
            doomed.close();  // idempotent; the test closes it early on purpose
        }
    }

    private record Result(int exitCode, String output, List<String> args) {
        String describe() {
            return "otc_session_it " + args + " exited " + exitCode + ":\n" + output;
        }
    }

    private static Result run(Router router, Path caFile, String... cases) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(cases));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        environment(pb, router, caFile);
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = br.readLine()) != null) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        if (!p.waitFor(CASE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            reader.join(2000);
            synchronized (out) {
                throw new AssertionError("otc_session_it " + List.of(cases) + " hung for " + CASE_TIMEOUT + ":\n" + out);
            }
        }
        reader.join(5000);
        synchronized (out) {
            return new Result(p.exitValue(), out.toString(), List.of(cases));
        }
    }

    private static void environment(ProcessBuilder pb, Router router, Path caFile) {
        Map<String, String> env = pb.environment();
        env.put("OTC_IT_MEDIA_URL", router.router.mediaUrl());
        env.put("OTC_IT_E2EE_SESSION", router.e2eeSession);
        env.put("OTC_IT_E2EE_TOKENS", router.tokens(router.e2eeSession));
        env.put("OTC_IT_PLAIN_SESSION", router.plainSession);
        env.put("OTC_IT_PLAIN_TOKENS", router.tokens(router.plainSession));
        if (caFile != null) {
            env.put("OTC_IT_TLS_CA_FILE", caFile.toString());
        } else {
            env.remove("OTC_IT_TLS_CA_FILE");
        }
    }
}
