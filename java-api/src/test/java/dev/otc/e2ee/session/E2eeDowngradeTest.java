package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.router.MediaObserver;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No E2EE downgrade through the Java API, against the real router: a session the router creates
 * as plain is refused by a client that requires E2EE or holds a secret, and setting a secret in
 * a plain session stops all clear media at once ({@link ErrorCode#SESSION_E2EE_DOWNGRADE}).
 * The scripted hostile router that lies about the flag is exercised by the native
 * session_downgrade_test.
 */
@Timeout(90)
class E2eeDowngradeTest {
  static final String SECRET = "the session secret 1";
  @RegisterExtension static final TestRouter router = TestRouter.perClass();

  private static void assertRefused(Recorder rec) {
    waitUntil("session error", () -> !rec.sessionErrors.isEmpty());
    assertThat(rec.sessionErrors.get(0).errorCode()).isEqualTo(ErrorCode.SESSION_E2EE_DOWNGRADE);
    assertThat(rec.sessionConnected.get()).isZero();
  }

  @Test
  void requiringE2eeRefusesAPlainSession() {
    String sid = router.createSession(false);
    Recorder rec = new Recorder();
    try (Session session = router.session(sid, rec).requireE2ee(true).build()) {
      session.connect(router.token(sid));
      assertRefused(rec);
      assertThat(session.isConnected()).isFalse();
    }
  }

  @Test
  void holdingASecretRefusesAPlainSession() {
    String sid = router.createSession(false);
    Recorder rec = new Recorder();
    try (Session session = router.session(sid, rec).encryptionSecret(SECRET).build()) {
      session.connect(router.token(sid));
      assertRefused(rec);
    }
  }

  @Test
  void requiringE2eeStillConnectsToAnE2eeSession() {
    String sid = router.createSession(true);
    Recorder rec = new Recorder();
    try (Session session = router.session(sid, rec).requireE2ee(true).build()) {
      session.connect(router.token(sid));
      waitUntil("connected", () -> rec.sessionConnected.get() == 1);
      assertThat(rec.sessionErrors).isEmpty();
      assertThat(session.isE2ee()).isTrue();
    }
  }

  @Test
  void aSecretSetInAPlainSessionStopsClearMediaAtOnce() {
    String sid = router.createSession(false);
    byte[] marker = "CLEAR-AFTER-THE-SECRET".getBytes(StandardCharsets.US_ASCII);
    AtomicInteger markersAtRouter = new AtomicInteger();
    AtomicInteger framesAtRouter = new AtomicInteger();
    MediaObserver watch = (s, st, dir, msg) -> {
      if (!s.equals(sid)) {
        return;
      }
      framesAtRouter.incrementAndGet();
      byte[] bytes = new byte[msg.remaining()];
      msg.duplicate().get(bytes);
      if (CiphertextAtRouterTest.indexOf(bytes, marker) >= 0) {
        markersAtRouter.incrementAndGet();
      }
    };
    router.router.addMediaObserver(watch);
    try (Participant alice = new Participant(router, sid, "alice", null, null)) {
      alice.publish(Codec.VP8);
      alice.publisher.sendFrame(MediaFrame.video(Codec.VP8, true, 0, new byte[] {1, 2, 3}));
      waitUntil("a clear frame reached the router before any secret", () -> framesAtRouter.get() >= 1);

      alice.session.setEncryptionSecret(SECRET);
      assertThatThrownBy(() -> alice.publisher.sendFrame(MediaFrame.video(Codec.VP8, true, 1, marker)))
          .isInstanceOf(OtcException.class);
      waitUntil("downgrade reported", () -> alice.rec.sessionErrors.stream()
          .anyMatch(e -> e.errorCode() == ErrorCode.SESSION_E2EE_DOWNGRADE));
      waitUntil("disconnected", () -> alice.rec.sessionDisconnected.get() == 1);
      assertThat(markersAtRouter.get()).isZero();
    } finally {
      router.router.removeMediaObserver(watch);
    }
  }

}
