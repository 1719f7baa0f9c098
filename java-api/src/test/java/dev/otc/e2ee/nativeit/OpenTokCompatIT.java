package dev.otc.e2ee.nativeit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.router.MediaObserver;
import dev.otc.e2ee.router.MediaRouter;
import dev.otc.e2ee.router.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the OpenTok-style programs of {@code native/test/opentok_compat} (written as the OpenTok
 * Linux SDK samples are, compiled against {@code opentok.h} through the {@code libopentok}
 * pkg-config module by the native build) against a real embedded router, in a plain and in an
 * end-to-end encrypted session. The router URL reaches them the OpenTok way this SDK supports: the
 * {@code OTC_ROUTER_URL} environment variable read by the 3-argument {@code otc_session_new}. In
 * the E2EE session, a media observer checks that the frames' plaintext never reaches the router.
 */
class OpenTokCompatIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final String SECRET = "opentok compat secret";
    private static final byte[] FRAME_MARKER = "compat-frame-".getBytes(StandardCharsets.US_ASCII);

    private static MediaRouter router;
    private static String e2eeSession;
    private static String plainSession;
    private static final AtomicLong e2eeFrames = new AtomicLong();
    private static final AtomicLong e2eeMarkerHits = new AtomicLong();
    private static final AtomicLong plainMarkerHits = new AtomicLong();

    @BeforeAll
    static void startRouter() {
        router = MediaRouter.builder().start();
        e2eeSession = router.createSession(true);
        plainSession = router.createSession(false);
        MediaObserver observer = (sessionId, streamId, direction, message) -> {
            boolean marked = Bytes.contains(message, FRAME_MARKER);
            if (sessionId.equals(e2eeSession)) {
                e2eeFrames.incrementAndGet();
                if (marked) {
                    e2eeMarkerHits.incrementAndGet();
                }
            } else if (marked) {
                plainMarkerHits.incrementAndGet();
            }
        };
        router.addMediaObserver(observer);
    }

    @AfterAll
    static void stopRouter() {
        if (router != null) {
            router.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain", "e2ee"})
    void signalingSample(String kind) throws Exception {
        boolean e2ee = kind.equals("e2ee");
        String session = e2ee ? e2eeSession : plainSession;
        List<String> args = new ArrayList<>(List.of(router.applicationId(), session, token(session, "a"), token(session, "b")));
        if (e2ee) {
            args.add(SECRET);
        }
        assertPasses("signaling_compat", args);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain", "e2ee"})
    void publishSubscribeSample(String kind) throws Exception {
        boolean e2ee = kind.equals("e2ee");
        String session = e2ee ? e2eeSession : plainSession;
        List<String> args = new ArrayList<>(List.of(router.applicationId(), session,
                token(session, "a"), token(session, "b"), token(session, "c")));
        long framesBefore = e2eeFrames.get();
        long plainHitsBefore = plainMarkerHits.get();
        if (e2ee) {
            args.add(SECRET);
        }
        assertPasses("pubsub_compat", args);
        if (e2ee) {
            assertThat(e2eeFrames.get() - framesBefore).as("E2EE frames the router forwarded").isGreaterThanOrEqualTo(5);
            assertThat(e2eeMarkerHits.get()).as("frame plaintext seen by the router in the E2EE session").isZero();
        } else {
            assertThat(plainMarkerHits.get() - plainHitsBefore).as("the observer sees plain frames").isGreaterThanOrEqualTo(5);
        }
    }

    private static String token(String session, String data) {
        return router.generateClientToken(session, Role.PUBLISHER, Duration.ofHours(1), "compat-" + data);
    }

    private static void assertPasses(String program, List<String> args) throws Exception {
        Path path = programDir().resolve(program);
        assertThat(Files.isExecutable(path)).as("%s (built by the native module's CMake build)", path).isTrue();
        List<String> command = new ArrayList<>();
        command.add(path.toString());
        command.addAll(args);
        // Output to a file: the process never blocks on a full pipe, whatever it prints.
        Path log = Files.createTempFile(program, ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OTC_ROUTER_URL", router.mediaUrl());
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(program + " hung for " + TIMEOUT + ":\n" + Files.readString(log));
        }
        byte[] output = Files.readAllBytes(log);
        Files.delete(log);
        String out = new String(output, StandardCharsets.UTF_8);
        assertThat(out).as("%s output", program).contains("PASS");
        assertThat(p.exitValue()).as("%s exit code, output:\n%s", program, out).isZero();
    }

    private static Path programDir() {
        return Paths.get(System.getProperty("otc.opentok.compat",
                Paths.get("..", "native", "target", "cmake-release", "opentok_compat").toString())).toAbsolutePath();
    }
}
