package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberListener;
import dev.otc.e2ee.SubscriberStats;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core path through the real router: connect, publish, subscribe, frames decrypted, signals. */
@Timeout(60)
class SessionBasicsTest {
  static final String SECRET = "correct horse battery staple";
  @RegisterExtension static final TestRouter router = TestRouter.perClass();

  @Test
  void e2eeFramesArriveDecryptedWithTheirMetadata() {
    String sid = router.createSession(true);
    try (Participant alice = new Participant(router, sid, "alice", SECRET, null);
        Participant bob = new Participant(router, sid, "bob", SECRET, null)) {
      assertThat(alice.session.isE2ee()).isTrue();
      assertThat(alice.session.connectionId()).isPresent();
      Stream published = alice.publish(Codec.VP9);
      assertThat(published.isE2ee()).isTrue();
      assertThat(published.videoCodec()).contains(Codec.VP9);
      assertThat(published.hasAudio()).isFalse();

      Stream seen = bob.streamOf("alice");
      assertThat(seen).isEqualTo(published);
      assertThat(seen.connectionId()).isEqualTo(alice.session.connectionId().orElseThrow());

      List<MediaFrame> got = new CopyOnWriteArrayList<>();
      AtomicInteger connected = new AtomicInteger();
      // Keeps whole frames (copied, as documented) for a byte-exact comparison.
      Subscriber keeper = bob.session.subscribe(seen, new SubscriberListener() {
        @Override
        public void onConnected(Subscriber s) {
          connected.incrementAndGet();
        }

        @Override
        public void onFrame(Subscriber s, MediaFrame frame) {
          got.add(frame.copy());
        }
      });
      try {
        waitUntil("keeper subscribed", () -> connected.get() == 1);
        assertThat(alice.publisher.isPublishing()).isTrue();
        byte[] key = "keyframe-0|0|payload".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        direct.put("delta-1|1|direct".getBytes(StandardCharsets.US_ASCII)).flip();
        alice.publisher.sendFrame(MediaFrame.builder().codec(Codec.VP9).keyframe(true).timestampUs(1234)
            .layers(2, 1).payload(key).build());
        alice.publisher.sendVideoFrame(direct, false, 5678);
        waitUntil("two frames", () -> got.size() == 2);

        MediaFrame first = got.get(0);
        assertThat(first.codec()).isEqualTo(Codec.VP9);
        assertThat(first.isKeyframe()).isTrue();
        assertThat(first.timestampUs()).isEqualTo(1234);
        assertThat(first.spatialLayer()).isEqualTo(2);
        assertThat(first.temporalLayer()).isEqualTo(1);
        assertThat(first.payloadBytes()).isEqualTo(key);
        assertThat(first.payload().isReadOnly()).isTrue();
        MediaFrame second = got.get(1);
        assertThat(second.isKeyframe()).isFalse();
        assertThat(second.timestampUs()).isEqualTo(5678);
        assertThat(Recorder.text(second)).isEqualTo("delta-1|1|direct");
        assertThat(second.sequence()).isEqualTo(first.sequence() + 1);

        SubscriberStats stats = keeper.stats();
        assertThat(stats.framesReceived()).isEqualTo(2);
        assertThat(stats.framesDecrypted()).isEqualTo(2);
        assertThat(stats.framesDelivered()).isEqualTo(2);
        assertThat(stats.framesFailed()).isZero();
        Publisher.Stats ps = alice.publisher.stats();
        assertThat(ps.framesSent()).isEqualTo(2);
        assertThat(ps.framesEncrypted()).isEqualTo(2);
      } finally {
        keeper.close();
      }
    }
  }

  @Test
  void sendFrameRejectsWrongCodecAndFramesBeforeTheStreamExists() {
    String sid = router.createSession(true);
    try (Participant alice = new Participant(router, sid, "alice", SECRET, null);
        Publisher unpublished = Publisher.builder().name("x").videoCodec(Codec.H264).hasAudio(false).build()) {
      assertThatThrownBy(() -> unpublished.sendVideoFrame(new byte[10], true, 0))
          .isInstanceOfSatisfying(OtcException.class,
              e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ERR_INVALID_STATE));
      assertThatThrownBy(() -> unpublished.sendAudioFrame(new byte[10], 0))
          .isInstanceOf(IllegalStateException.class);
      alice.publish(Codec.H264);
      assertThatThrownBy(() -> alice.publisher.sendFrame(MediaFrame.video(Codec.VP8, true, 0, new byte[4])))
          .isInstanceOfSatisfying(OtcException.class,
              e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PUBLISHER_UNSUPPORTED_CODEC));
      // An argument the Java API judges itself: IllegalArgumentException (OtcException's rule).
      assertThatThrownBy(() -> alice.publisher.sendVideoFrame(new byte[4 * 1024 * 1024], true, 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
      assertThatThrownBy(() -> alice.publisher.sendFrame(null)).isInstanceOf(NullPointerException.class);
      // After the refusals the publisher still works.
      alice.publisher.sendVideoFrame(new byte[16], true, 1);
      assertThat(alice.publisher.stats().framesSent()).isEqualTo(1);
    }
  }

  @Test
  void keyframeRequestsReachThePublisherAndARefusedPublishChangesNothing() {
    String sid = router.createSession(true);
    try (Participant alice = new Participant(router, sid, "alice", SECRET, null);
        Participant bob = new Participant(router, sid, "bob", SECRET, null)) {
      alice.publish(Codec.VP8);
      Subscriber sub = bob.subscribe(bob.streamOf("alice"));
      int before = alice.rec.keyframeRequests.get();
      sub.requestKeyframe();
      waitUntil("keyframe request", () -> alice.rec.keyframeRequests.get() == before + 1);

      // Publishing the same publisher again is refused at once; its events keep their session.
      assertThatThrownBy(() -> bob.session.publish(alice.publisher))
          .isInstanceOfSatisfying(OtcException.class,
              e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ERR_INVALID_STATE));
      assertThat(alice.publisher.session()).contains(alice.session);
      sub.requestKeyframe();
      waitUntil("second keyframe request", () -> alice.rec.keyframeRequests.get() == before + 2);
      assertThat(alice.publisher.stats().keyframeRequests()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void signalsReachTheOtherParticipants() {
    String sid = router.createSession(false);
    try (Participant alice = new Participant(router, sid, "alice", null, null);
        Participant bob = new Participant(router, sid, "bob", null, null)) {
      waitUntil("alice sees bob", () -> !alice.rec.connectionsCreated.isEmpty());
      alice.session.sendSignal("chat", "héllo");
      waitUntil("bob got the signal", () -> bob.rec.signals.contains("chat=héllo"));
      waitUntil("bob sees alice", () -> !bob.rec.connectionsCreated.isEmpty());
      bob.session.sendSignal("direct", "to alice", bob.rec.connectionsCreated.get(0));
      waitUntil("alice got the direct signal", () -> alice.rec.signals.contains("direct=to alice"));
      assertThatThrownBy(() -> alice.session.sendSignal("bad\0type", "x")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void closedObjectsThrowIllegalState() {
    String sid = router.createSession(false);
    Session s = router.session(sid, new Recorder()).build();
    s.close();
    s.close();
    assertThatThrownBy(() -> s.connect("t")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.setEncryptionSecret(SECRET)).isInstanceOf(IllegalStateException.class);
    Publisher p = Publisher.builder().build();
    p.close();
    assertThatThrownBy(() -> p.sendVideoFrame(new byte[1], true, 0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void builderRejectsBadConfiguration() {
    assertThatThrownBy(() -> Session.builder().routerUrl("tcp://127.0.0.1:1").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("sessionId");
    assertThatThrownBy(() -> Session.builder().sessionId(""))
        .isInstanceOfSatisfying(OtcException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SESSION_INVALID_SESSION_ID));
    assertThatThrownBy(() -> Session.builder().sessionId("s").routerUrl("http://nope").build())
        .isInstanceOf(OtcException.class);
    assertThatThrownBy(() -> Session.builder().encryptionSecret("short"))
        .isInstanceOfSatisfying(OtcException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SESSION_INVALID_ENCRYPTION_SECRET));
  }
}
