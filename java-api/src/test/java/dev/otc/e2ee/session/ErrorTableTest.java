package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.router.Role;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each row of the error table (docs/ARCHITECTURE.md sec. 6, README "Errors") through the Java API, against the real
 * router (or, for peers the real router cannot imitate, a scripted one).
 */
@Timeout(90)
class ErrorTableTest {
  static final String SECRET = "the session secret 1";
  static final String OTHER = "some other secret 2";
  @RegisterExtension static final TestRouter router = TestRouter.perClass();

  @Test
  void invalidSecretThrowsAtOnceAndKeepsTheCurrentSecret() throws Exception {
    String sid = router.createSession(true);
    try (Participant alice = new Participant(router, sid, "alice", SECRET, null);
        Participant bob = new Participant(router, sid, "bob", SECRET, null)) {
      for (String bad : new String[] {"short", "x".repeat(257), "nul\0inside-the-secret"}) {
        assertThatThrownBy(() -> bob.session.setEncryptionSecret(bad))
            .isInstanceOfSatisfying(OtcException.class, e -> {
              assertThat(e.errorCode()).isEqualTo(ErrorCode.SESSION_INVALID_ENCRYPTION_SECRET);
              assertThat(e.getMessage()).doesNotContain(bad);
            });
      }
      assertThatThrownBy(() -> bob.session.setEncryptionSecret(new char[] {'a', '\uD800', 'b', 'c', 'd', 'e', 'f', 'g'}))
          .isInstanceOfSatisfying(OtcException.class,
              e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SESSION_INVALID_ENCRYPTION_SECRET));
      // The rejected secrets changed nothing: frames under SECRET still decrypt.
      Stream stream = alice.publish(Codec.VP8);
      bob.subscribe(bob.streamOf("alice"));
      try (FramePump pump = new FramePump(alice.publisher, Codec.VP8, "a", 200, 30)) {
        waitUntil("frames decrypt", () -> bob.rec.frames.get() >= 5);
      }
      assertThat(bob.rec.subscriberErrors).isEmpty();
      assertThat(stream.isE2ee()).isTrue();
    }
  }

  @Test
  void publishWithoutSecretInAnE2eeSessionFailsWithSecretMissing() {
    String sid = router.createSession(true);
    try (Participant alice = new Participant(router, sid, "alice", null, null)) {
      assertThat(alice.session.isE2ee()).isTrue();
      assertThat(alice.session.hasEncryptionSecret()).isFalse();
      alice.publisher = Publisher.builder().name("alice").listener(alice.rec).build();
      alice.session.publish(alice.publisher);
      waitUntil("publisher error", () -> !alice.rec.publisherErrors.isEmpty());
      assertThat(alice.rec.publisherErrors).singleElement()
          .satisfies(e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SESSION_ENCRYPTION_SECRET_MISSING));
      assertThat(alice.rec.streamsCreated.get()).isZero();
      assertThat(router.router.stats().streams()).isZero();
    }
  }

  @Test
  void subscribeWithoutSecretInAnE2eeSessionFailsWithSubscriberSecretMissing() {
    String sid = router.createSession(true);
    try (Participant alice = new Participant(router, sid, "alice", SECRET, null);
        Participant bob = new Participant(router, sid, "bob", null, null)) {
      alice.publish(Codec.VP8);
      Stream stream = bob.streamOf("alice");
      Subscriber sub = bob.session.subscribe(stream, bob.rec);
      bob.subscribers.add(sub);
      waitUntil("subscriber error", () -> !bob.rec.subscriberErrors.isEmpty());
      assertThat(bob.rec.subscriberErrors).singleElement()
          .satisfies(e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SUBSCRIBER_ENCRYPTION_SECRET_MISSING));
      assertThat(bob.rec.subscriberConnected.get()).isZero();
    }
  }

  @Test
  void mismatchIsReportedOnceNamingTheStreamAndMatchFollowsTheFix() throws Exception {
    String sid = router.createSession(true);
    Duration grace = Duration.ofMillis(800);
    try (Participant alice = new Participant(router, sid, "alice", SECRET, grace);
        Participant bob = new Participant(router, sid, "bob", OTHER, grace)) {
      Stream stream = alice.publish(Codec.VP8);
      bob.subscribe(bob.streamOf("alice"));
      try (FramePump pump = new FramePump(alice.publisher, Codec.VP8, "a", 300, 30)) {
        waitUntil("mismatch", () -> bob.rec.subscriberErrors(ErrorCode.SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH) == 1);
        Thread.sleep(1500);
        assertThat(bob.rec.subscriberErrors(ErrorCode.SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH)).isEqualTo(1);
        assertThat(bob.rec.subscriberErrors.get(0).getMessage()).contains(stream.id());
        assertThat(bob.rec.frames.get()).as("no undecryptable frame is delivered").isZero();

        bob.session.setEncryptionSecret(SECRET);
        waitUntil("match", () -> bob.rec.matches.get() == 1);
        waitUntil("frames again", () -> bob.rec.frames.get() >= 10);
        assertThat(bob.rec.subscriberErrors).hasSize(1);
      }
    }
  }

  @Test
  void unreachableRouterFailsWithConnectionFailed() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Recorder rec = new Recorder();
    try (Session session = Session.builder().sessionId("any").routerUrl("tcp://127.0.0.1:" + closedPort)
        .listener(rec).build()) {
      session.connect("token");
      waitUntil("error", () -> !rec.sessionErrors.isEmpty());
      assertThat(rec.sessionErrors.get(0).errorCode()).isEqualTo(ErrorCode.SESSION_CONNECTION_FAILED);
      assertThat(rec.sessionConnected.get()).isZero();
    }
  }

  @Test
  void forgedTokenFailsWithAuthorizationFailure() {
    String sid = router.createSession(true);
    assertThat(connectFailure(sid, "not-a-jwt")).isEqualTo(ErrorCode.SESSION_AUTHORIZATION_FAILURE);
  }

  @Test
  void tokenOfAnotherSessionNeverConnects() {
    String sid = router.createSession(true);
    String other = router.createSession(true);
    // errors.h files "a token for another session" under AUTHORIZATION_FAILURE; the client notices
    // it itself when the router's CONNECTED names the other session, and says INVALID_SESSION_ID.
    assertThat(connectFailure(sid, router.token(other, Role.PUBLISHER, "")))
        .isIn(ErrorCode.SESSION_AUTHORIZATION_FAILURE, ErrorCode.SESSION_INVALID_SESSION_ID);
  }

  private static ErrorCode connectFailure(String sid, String token) {
    Recorder rec = new Recorder();
    try (Session session = router.session(sid, rec).build()) {
      session.connect(token);
      waitUntil("error", () -> !rec.sessionErrors.isEmpty());
      Thread.sleep(200);
      assertThat(rec.sessionConnected.get()).isZero();
      assertThat(session.isConnected()).isFalse();
      return rec.sessionErrors.get(0).errorCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void subscriberTokenCannotPublish() {
    String sid = router.createSession(false);
    Recorder rec = new Recorder();
    try (Session session = router.session(sid, rec).build();
        Publisher p = Publisher.builder().listener(rec).build()) {
      session.connect(router.token(sid, Role.SUBSCRIBER, ""));
      waitUntil("connected", () -> rec.sessionConnected.get() == 1);
      session.publish(p);
      waitUntil("publisher error", () -> !rec.publisherErrors.isEmpty());
      assertThat(rec.publisherErrors.get(0).errorCode()).isEqualTo(ErrorCode.SESSION_PERMISSION_DENIED);
    }
  }

  @Test
  void peerWithAnotherFrameFormatFailsWithIncompatibleVersion() throws Exception {
    assertConnectFails(FakeRouter.Behaviour.ERROR_AFTER_HELLO, ErrorCode.E2EE_INCOMPATIBLE_VERSION);
  }

  @Test
  void peerWithAnotherProtocolFailsWithIncompatibleProtocol() throws Exception {
    assertConnectFails(FakeRouter.Behaviour.ERROR_AFTER_HELLO, ErrorCode.SESSION_INCOMPATIBLE_PROTOCOL);
  }

  @Test
  void silentPeerTimesOut() throws Exception {
    assertConnectFails(FakeRouter.Behaviour.SILENT, ErrorCode.SESSION_CONNECTION_TIMED_OUT);
  }

  private static void assertConnectFails(FakeRouter.Behaviour behaviour, ErrorCode expected) throws Exception {
    try (FakeRouter fake = new FakeRouter(behaviour, expected.code())) {
      Recorder rec = new Recorder();
      // Short only where the timeout is what is tested: elsewhere the peer's reply must win.
      Duration timeout = behaviour == FakeRouter.Behaviour.SILENT ? Duration.ofMillis(700) : Duration.ofSeconds(10);
      try (Session session = Session.builder().sessionId("s").routerUrl(fake.url())
          .connectTimeout(timeout).listener(rec).build()) {
        session.connect("token");
        assertThat(fake.awaitHello()).isTrue();
        waitUntil("error", () -> !rec.sessionErrors.isEmpty());
        assertThat(rec.sessionErrors.get(0).errorCode()).isEqualTo(expected);
        assertThat(rec.sessionConnected.get()).isZero();
      }
    }
  }
}
