package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.HostileWire.MEDIA_FRAME;
import static dev.otc.e2ee.session.HostileWire.type;
import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.EncryptionSecret;
import dev.otc.e2ee.FrameCryptor;
import dev.otc.e2ee.FrameCryptorStats;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A router that sends, as fast as the subscriber's socket takes them, frames carrying the
 * session's public key fingerprint and a fresh random 48-bit sender id each (so every one would
 * need a key derivation), into a stream with a genuine publisher: the key derivations they cause
 * stay within the subscriber's new-sender budget (its stats show it); every genuine frame is
 * delivered during the flood too (in order, none missing, none twice, no forged one): forged
 * frames are refused on the decryption workers and wait, if at all, within a bound of their own
 * (32 distinct unknown senders), so they never push genuine frames out of the application's
 * queue; every forged frame is accounted for (refused, or dropped at that bound). (A router can always withhold genuine frames; what it must not do is make the client
 * spend a key derivation per forged frame.)
 */
@Timeout(90)
class HostileForgedSenderTest {
  static final String SECRET = "hostile router forged sender secret";
  @RegisterExtension static final TestRouter router = TestRouter.perClass();

  /** A copy of a genuine encrypted frame with the low 48 bits of its KID replaced. */
  static byte[] forge(HostileWire.Frame genuine, SplittableRandom random) {
    byte[] p = genuine.payload().clone();
    int[] kid = HostileWire.kidField(p);
    // The fingerprint occupies the top 16 bits, so the KID takes 7 or 8 bytes; the last 6 are R.
    for (int i = kid[0] + kid[1] - 6; i < kid[0] + kid[1]; i++) {
      p[i] = (byte) random.nextInt(256);
    }
    return genuine.withPayload(p).encode();
  }

  @Test
  void forgedSenderIdsAtLineRateCostBoundedDerivationsAndGenuineFramesFlow() throws Exception {
    String sid = router.createSession(true);
    AtomicReference<HostileWire.Frame> template = new AtomicReference<>();
    AtomicLong forged = new AtomicLong();
    try (HostileRouter evil = new HostileRouter(router.router.mediaUrl());
        Participant alice = new Participant(router, sid, "alice", SECRET, null);
        Participant bob = new Participant(router, evil.url(), sid, "bob", SECRET, null)) {
      Stream stream = alice.publish(Codec.VP8);
      evil.rule((link, dir, m) -> {
        if (dir == HostileRouter.Dir.TO_CLIENT && type(m) == MEDIA_FRAME && template.get() == null) {
          HostileWire.Frame f = HostileWire.Frame.of(m);
          if (HostileWire.kidField(f.payload())[1] >= 7) {
            template.set(f);
          }
        }
        return List.of(m);
      });
      Subscriber sub = bob.subscribe(bob.streamOf("alice"));
      long sent;
      long started;
      long elapsedNs;
      long afterFlood;
      try (FramePump pump = new FramePump(alice.publisher, Codec.VP8, "alice", 1000, 60)) {
        waitUntil("a genuine frame to copy", () -> template.get() != null);
        HostileRouter.Link link = evil.links.get(0);
        AtomicBoolean flooding = new AtomicBoolean(true);
        Thread flooder = new Thread(() -> {
          SplittableRandom random = new SplittableRandom(7);
          try {
            while (flooding.get()) {
              link.toClient(forge(template.get(), random));
              forged.incrementAndGet();
            }
          } catch (java.io.IOException e) {
            // the client closed: the assertions below say why
          }
        }, "forged-sender-flood");
        started = System.nanoTime();
        flooder.start();
        int before = bob.rec.counters(stream.id()).size();
        waitUntil("genuine frames keep flowing under the flood", Duration.ofSeconds(45),
            () -> bob.rec.counters(stream.id()).size() > before + 30 && forged.get() > 20_000);
        flooding.set(false);
        flooder.join();
        elapsedNs = System.nanoTime() - started;
        // After the flood, genuine frames keep arriving.
        long firstAfter = (pump.sent() / 30 + 1) * 30;
        afterFlood = firstAfter;
        waitUntil("genuine frames after the flood", () -> bob.rec.counters(stream.id()).contains(firstAfter + 30));
        sent = pump.stop();
      }
      waitUntil("the last genuine frame", () -> bob.rec.counters(stream.id()).contains(sent - 1));
      evil.links.get(0).barrier(bob.rec);
      waitUntil("every frame received is accounted for", () -> {
        var st = sub.stats();
        return st.framesReceived() == st.framesDelivered() + st.failedAuthentication() + st.framesDroppedQueue();
      });
      // Forged frames still queued when the flooder stopped kept meeting the budget until now.
      double decryptingSeconds = (System.nanoTime() - started) / 1e9;

      List<Long> counters = bob.rec.counters(stream.id());
      for (int i = 1; i < counters.size(); i++) {
        assertThat(counters.get(i)).as("genuine frames in order, none twice").isGreaterThan(counters.get(i - 1));
      }
      assertThat(counters).as("no forged frame delivered").allMatch(c -> c >= 0 && c < sent);
      assertThat(counters).as("every genuine frame from the first keyframe after the flood")
          .containsAll(java.util.stream.LongStream.range(afterFlood, sent).boxed().toList());
      assertThat(counters).as("every genuine frame from the first one received on, also during the flood")
          .containsExactlyElementsOf(java.util.stream.LongStream.range(counters.get(0), sent).boxed().toList());
      var stats = sub.stats();
      double seconds = elapsedNs / 1e9;
      System.out.printf("forged: %d frames in %.2f s (%.0f/s); genuine sent %d, delivered %d; stats %s%n",
          forged.get(), seconds, forged.get() / seconds, sent, counters.size(), stats);
      assertThat(stats.framesDelivered()).isEqualTo(counters.size());
      assertThat(stats.framesReceived()).as("every frame reached the client").isEqualTo(sent + forged.get());
      // Budget: OTC_FRAME_CRYPTOR_NEW_SENDER_BURST + OTC_FRAME_CRYPTOR_NEW_SENDERS_PER_SECOND per second.
      long budget = 32 + (long) Math.ceil(32 * (seconds + 1));
      assertThat(forged.get()).as("flood far above the budget").isGreaterThan(20 * budget);
      assertThat(stats.failedAuthentication() + stats.framesDroppedQueue())
          .as("every forged frame refused or dropped unopened, no genuine one dropped").isEqualTo(forged.get());
      // The budget on the session path: one derivation for alice, the forged ones within the budget.
      long budgetWhileDecrypting = 32 + (long) Math.ceil(32 * (decryptingSeconds + 1));
      assertThat(stats.newSenderDerivations()).as("key derivations for %d forged senders in %.2f s", forged.get(),
          decryptingSeconds).isLessThanOrEqualTo(1 + budgetWhileDecrypting);
      assertThat(stats.newSenderDerivations() - 1 + stats.newSenderRefused())
          .as("every forged frame that reached decryption cost a derivation or met the budget")
          .isEqualTo(stats.failedAuthentication());

      // The same kind of forged frames fed at line rate to a FrameCryptor holding the session's
      // secret: the budget they meet without the session client in between.
      try (FrameCryptor cryptor = FrameCryptor.builder().sessionId(sid)
          .encryptionSecret(EncryptionSecret.of(SECRET)).build()) {
        SplittableRandom random = new SplittableRandom(11);
        int n = 20_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          byte[] frame = HostileWire.Frame.of(forge(template.get(), random)).payload();
          try {
            cryptor.decrypt(frame);
          } catch (OtcException expected) {
            // authentication failure (or refused unopened): what a forged sender gets
          }
        }
        double s2 = (System.nanoTime() - t0) / 1e9;
        FrameCryptorStats cs = cryptor.stats();
        System.out.printf("forged at a FrameCryptor: %d frames in %.3f s, %s%n", n, s2, cs);
        assertThat(cs.newSenderDerivations()).as("key derivations for %d forged senders in %.2f s", n, s2)
            .isLessThanOrEqualTo(32 + (long) Math.ceil(32 * (s2 + 1)));
        assertThat(cs.newSenderDerivations() + cs.newSenderRefused()).isEqualTo(n);
        assertThat(cs.framesDecrypted()).isZero();
      }
    }
  }
}
