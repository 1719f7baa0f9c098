package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.HostileWire.CONNECTED;
import static dev.otc.e2ee.session.HostileWire.FLAG_ENCRYPTED;
import static dev.otc.e2ee.session.HostileWire.MEDIA_FRAME;
import static dev.otc.e2ee.session.HostileWire.PUBLISH;
import static dev.otc.e2ee.session.HostileWire.STREAM_CREATED;
import static dev.otc.e2ee.session.HostileWire.type;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.router.Role;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The E2EE downgrade from C: the native integration program's orchestrated case
 * {@code e2ee_downgrade} ({@code native/test/session/it/otc_session_it.c}) connects through the
 * {@link HostileRouter}, which claims e2ee=0 at CONNECTED and STREAM_CREATED. The program asserts
 * the session error {@code OTC_SESSION_E2EE_DOWNGRADE}; this launcher asserts that none of the
 * marked frames its app then tries to publish leaves the client unencrypted.
 */
@Timeout(90)
class HostileNativeDowngradeTest {
  static final byte[] C_MARKER = "OTC-PLAINTEXT-MARKER".getBytes(StandardCharsets.US_ASCII);
  static final String END = new String("<end>");
  @RegisterExtension static final TestRouter router = TestRouter.perClass();

  static Path program() {
    return Paths.get(System.getProperty("otc.session.it",
        Paths.get("..", "native", "target", "cmake-release", "otc_session_it").toString())).toAbsolutePath();
  }

  @Test
  void nativeClientRefusesTheDowngradeAndLeaksNothing() throws Exception {
    Path program = program();
    assertThat(Files.isExecutable(program)).as("%s (built by the native module)", program).isTrue();
    String e2ee = router.createSession(true);
    String plain = router.createSession(false);
    ClientOutputTap tap = new ClientOutputTap();
    java.util.concurrent.atomic.AtomicLong cMarked = new java.util.concurrent.atomic.AtomicLong();
    try (HostileRouter evil = new HostileRouter(router.router.mediaUrl())) {
      evil.rule((link, dir, m) -> {
        if (dir == HostileRouter.Dir.TO_ROUTER) {
          tap.see(m);
          if (type(m) == MEDIA_FRAME && HostileWire.containsBytes(m, C_MARKER)) {
            cMarked.incrementAndGet();
          }
          if (type(m) == PUBLISH) {
            return List.of(HostileWire.publishWithEncrypted(m, true));
          }
          if (type(m) == MEDIA_FRAME) {
            HostileWire.Frame f = HostileWire.Frame.of(m);
            return List.of(f.withFlags(f.flags() | FLAG_ENCRYPTED).encode());
          }
          return List.of(m);
        }
        if (type(m) == CONNECTED) {
          return List.of(HostileWire.connectedWithE2ee(m, false));
        }
        if (type(m) == STREAM_CREATED) {
          return List.of(HostileWire.streamCreatedWithE2ee(m, false));
        }
        return List.of(m);
      });

      ProcessBuilder pb = new ProcessBuilder(program.toString(), "e2ee_downgrade").redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.put("OTC_IT_MEDIA_URL", evil.url());
      env.put("OTC_IT_E2EE_SESSION", e2ee);
      env.put("OTC_IT_E2EE_TOKENS", router.router.generateClientToken(e2ee, Role.PUBLISHER, Duration.ofHours(1), "c"));
      env.put("OTC_IT_PLAIN_SESSION", plain);
      env.put("OTC_IT_PLAIN_TOKENS", router.router.generateClientToken(plain, Role.PUBLISHER, Duration.ofHours(1), "c"));
      env.remove("OTC_IT_TLS_CA_FILE");
      Process p = pb.start();
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          br.lines().forEach(lines::add);
        } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
          // the process ended
        }
        lines.add(END);
      });
      reader.start();
      StringBuilder out = new StringBuilder();
      Pattern ready = Pattern.compile("READY e2ee_downgrade sent=(\\d+)");
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (;;) {
          String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          assertThat(line).as("the program hung:\n%s", out).isNotNull();
          if (line == END) {
            break;
          }
          out.append(line).append('\n');
          Matcher mm = ready.matcher(line);
          if (mm.find()) {
            int sent = Integer.parseInt(mm.group(1));
            // Frames the client accepted have left within 3 s if they leave at all.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (tap.frames.get() < sent && System.nanoTime() < until) {
              Thread.sleep(10);
            }
            try (OutputStream stdin = p.getOutputStream()) {
              stdin.write("go\n".getBytes(StandardCharsets.US_ASCII));
            }
          }
        }
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      } finally {
        p.destroyForcibly();
      }
      assertThat(out.toString()).contains("CASE e2ee_downgrade PASS");
      assertThat(p.exitValue()).as(out.toString()).isZero();
      assertThat(tap.unencryptedPublishes.get()).as("PUBLISH encrypted=0 from the C client").isZero();
      assertThat(tap.unencryptedFrames.get()).as("unencrypted MEDIA_FRAMEs from the C client").isZero();
      assertThat(cMarked.get()).as("MEDIA_FRAMEs carrying the C program's plaintext marker").isZero();
    }
  }
}
