package dev.otc.e2ee.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import dev.otc.e2ee.router.testsupport.RouterProcess;
import dev.otc.e2ee.router.testsupport.SessionCreate;
import org.junit.jupiter.api.io.TempDir;


/** The shaded jar as a process, driven the way the native integration tests drive it: CLI lines and HTTP only. */
class RouterProcessIT {

    static final Path JAR = Path.of(System.getProperty("router.jar", "target/otc-e2ee-router.jar"));

    @TempDir
    Path dir;

    static List<String> java(String... args) {
        return RouterProcess.jarCommand(JAR, args);
    }

    /** Runs a CLI command to completion (bounded) and returns its stdout. */
    static String run(String... args) throws Exception {
        Process p = new ProcessBuilder(java(args)).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("CLI finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void servesCreatesSessionsMintsTokensAndStopsCleanlyOnSigterm() throws Exception {
        assertThat(run("--help")).contains("serve", "token", "session-create");

        Path dev = dir.resolve("dev");
        Process p = new ProcessBuilder(java("serve", "--dev-dir", dev.toString(), "--rest-port", "0", "--media-port", "0"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Map<String, String> v = RouterProcess.awaitReady(p, Duration.ofSeconds(30));
            assertThat(v.get("REST_URL")).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(v.get("MEDIA_URL")).matches("tcp://127\\.0\\.0\\.1:\\d+");
            assertThat(v.get("DEV_DIR")).isEqualTo(dev.toAbsolutePath().toString());
            String appId = v.get("APPLICATION_ID");
            assertThat(Files.readString(dev.resolve("application-id")).trim()).isEqualTo(appId);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dev.resolve("private.pem"))))
                    .isEqualTo("rw-------");

            // curl-equivalent: a form POST with a REST JWT signed by the dev private key.
            DevCredentials creds = DevCredentials.load(dev);
            SessionCreate.Created created = SessionCreate.create(HttpClient.newHttpClient(), v.get("REST_URL"),
                    SessionCreate.restToken(creds), true);
            assertThat(created.mediaServerUrl()).isEqualTo(v.get("MEDIA_URL"));

            String sessionLine = run("session-create", "--rest-url", v.get("REST_URL"), "--dev-dir", dev.toString(),
                    "--e2ee").trim();
            assertThat(sessionLine).matches("SESSION_ID=2_[A-Za-z0-9_-]+");
            String sessionId = sessionLine.substring("SESSION_ID=".length());
            String token = run("token", "--session", sessionId, "--role", "publisher", "--dev-dir", dev.toString(),
                    "--data", "from-cli").trim();

            try (TestClient c = TestClient.open(v.get("MEDIA_URL"))) {
                TestClient.Connected conn = c.handshake(token);
                assertThat(conn.sessionId()).isEqualTo(sessionId);
                assertThat(conn.e2ee()).isTrue();
                assertThat(conn.data()).isEqualTo("from-cli");

                p.destroy(); // SIGTERM
                TestClient.Reader r = c.nextOfType(Wire.DISCONNECTING).reader();
                assertThat(r.u32()).isEqualTo(1040);
                assertThat(c.closedByPeer()).isTrue();
            }
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("router exited after SIGTERM").isTrue();
            assertThat(p.exitValue()).isEqualTo(143);

            // Second start: same application, loaded rather than created.
            Process again = new ProcessBuilder(java("serve", "--dev-dir", dev.toString(), "--rest-port", "0",
                    "--media-port", "0")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                assertThat(RouterProcess.awaitReady(again, Duration.ofSeconds(30)).get("APPLICATION_ID")).isEqualTo(appId);
            } finally {
                again.destroy();
                assertThat(again.waitFor(15, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badOptionsFailWithAMessage() throws Exception {
        Process p = new ProcessBuilder(java("serve", "--application-id", "not-a-uuid", "--rest-port", "0",
                "--media-port", "0")).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isNotZero();
        assertThat(out).contains("--application-id needs --public-key");

        Process t = new ProcessBuilder(java("token", "--session", "x", "--dev-dir", dir.resolve("none").toString()))
                .redirectErrorStream(true).start();
        assertThat(t.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(t.exitValue()).isNotZero();
        assertThat(new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("no dev application in");
    }
}
