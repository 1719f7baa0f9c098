package dev.otc.e2ee.session;

import static dev.otc.e2ee.bindings.global.otc.OTC_SUCCESS;
import static dev.otc.e2ee.session.FaultInjection.DECRYPT;
import static dev.otc.e2ee.session.FaultInjection.ENCRYPT;
import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberStats;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The internal-error rows of the error table (6001, 6002) through the whole stack: the native
 * fault injection of the test build of libotc ({@link FaultInjection}) makes the crypto engine
 * fail, and the Java listeners, exceptions and stats must report it while the stream goes on.
 */
@Timeout(90)
class InternalErrorTest {
  static final String SECRET = "internal error test secret, long enough";

  @RegisterExtension
  static final TestRouter router = TestRouter.perClass();

  /** The faults are process-wide: none may outlive its test, whatever the outcome. */
  @AfterEach
  void clearFaults() {
    assertThat(FaultInjection.inject(ENCRYPT, 0)).isEqualTo(OTC_SUCCESS);
    assertThat(FaultInjection.inject(DECRYPT, 0)).isEqualTo(OTC_SUCCESS);
  }

  @Test
  void decryptionFailuresReachTheSubscriberOnceAndLaterFramesArrive() throws Exception {
    String sid = router.createSession(true);
    try (Participant alice = new Participant(router, sid, "alice", SECRET, null);
        Participant bob = new Participant(router, sid, "bob", SECRET, null)) {
      Stream stream = alice.publish(Codec.VP8);
      Subscriber sub = bob.subscribe(bob.streamOf("alice"));
      try (FramePump pump = new FramePump(alice.publisher, Codec.VP8, "alice", 400, 30)) {
        waitUntil("frames before the fault", () -> bob.rec.frames.get() >= 10);
        int before = bob.rec.frames.get();
        assertThat(FaultInjection.inject(DECRYPT, 2)).isEqualTo(OTC_SUCCESS);
        waitUntil("internal error reported, then frames again",
            () -> !bob.rec.subscriberErrors.isEmpty() && bob.rec.frames.get() >= before + 10);
        Thread.sleep(300);
        assertThat(pump.sendErrors).isEmpty();
      }
      assertThat(bob.rec.subscriberErrors).as("one report for one run of failures").hasSize(1);
      OtcException error = bob.rec.subscriberErrors.get(0);
      assertThat(error.errorCode()).isEqualTo(ErrorCode.SUBSCRIBER_DECRYPTION_INTERNAL_ERROR);
      assertThat(error.nativeCode()).isEqualTo(6002);
      assertThat(error.getMessage()).contains(stream.id()).doesNotContain(SECRET);

      // Exactly the two failed frames are missing; everything else arrived in order.
      List<Long> counters = bob.rec.counters(stream.id());
      assertThat(missingFrames(counters)).as("frames missing from %s", counters).isEqualTo(2);

      SubscriberStats stats = sub.stats();
      assertThat(stats.failedInternal()).isEqualTo(2);
      assertThat(stats.failedAuthentication()).isZero();
      assertThat(stats.failedReplayed()).isZero();
      assertThat(stats.failedMalformed()).isZero();
      assertThat(stats.failedSecretMismatch()).isZero();
      assertThat(stats.framesDelivered()).isEqualTo(bob.rec.frames.get());
      assertThat(alice.rec.publisherErrors).isEmpty();
    }
  }

  @Test
  void encryptionFailuresReachThePublisherPerFrameAndLaterFramesArrive() throws Exception {
    String sid = router.createSession(true);
    try (Participant alice = new Participant(router, sid, "alice", SECRET, null);
        Participant bob = new Participant(router, sid, "bob", SECRET, null)) {
      Stream stream = alice.publish(Codec.VP8);
      Subscriber sub = bob.subscribe(bob.streamOf("alice"));
      try (FramePump pump = new FramePump(alice.publisher, Codec.VP8, "alice", 400, 30)) {
        waitUntil("frames before the fault", () -> bob.rec.frames.get() >= 10);
        int before = bob.rec.frames.get();
        assertThat(FaultInjection.inject(ENCRYPT, 3)).isEqualTo(OTC_SUCCESS);
        waitUntil("three failed sends reported, then frames again",
            () -> pump.sendErrors.size() >= 3 && alice.rec.publisherErrors.size() >= 3
                && bob.rec.frames.get() >= before + 10);
        Thread.sleep(300);
        assertThat(pump.sendErrors).as("sendFrame throws for each failed frame").hasSize(3)
            .allSatisfy(e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PUBLISHER_ENCRYPTION_INTERNAL_ERROR));
      }
      assertThat(alice.rec.publisherErrors).as("onError for each failed frame").hasSize(3).allSatisfy(e -> {
        assertThat(e.errorCode()).isEqualTo(ErrorCode.PUBLISHER_ENCRYPTION_INTERNAL_ERROR);
        assertThat(e.nativeCode()).isEqualTo(6001);
        assertThat(e.getMessage()).contains(stream.id()).doesNotContain(SECRET);
      });
      Publisher.Stats pstats = alice.publisher.stats();
      assertThat(pstats.encryptionFailed()).isEqualTo(3);
      assertThat(pstats.framesEncrypted()).isEqualTo(pstats.framesSent());

      // The pump resends a failed frame's payload counter, so no counter may be missing or repeated:
      // nothing of a failed encryption reached the subscriber.
      List<Long> counters = bob.rec.counters(stream.id());
      assertThat(missingFrames(counters)).as("frames missing from %s", counters).isZero();
      assertThat(bob.rec.subscriberErrors).isEmpty();
      SubscriberStats stats = sub.stats();
      assertThat(stats.failedInternal()).isZero();
      assertThat(stats.framesFailed()).isZero();
    }
  }

  /** Gaps in a run of payload counters that must arrive in order and at most once. */
  private static long missingFrames(List<Long> counters) {
    assertThat(counters).isNotEmpty().isSorted().doesNotHaveDuplicates();
    return counters.get(counters.size() - 1) - counters.get(0) + 1 - counters.size();
  }
}
