package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.HostileWire.MEDIA_FRAME;
import static dev.otc.e2ee.session.HostileWire.type;
import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A router that slips unencrypted frames (encrypted flag clear, plaintext payload) into a stream
 * it announced as end-to-end encrypted, interleaved with the publisher's genuine frames: none is
 * delivered, each is counted, and every genuine frame still arrives.
 */
@Timeout(60)
class HostileInjectionTest {
  static final String SECRET = "hostile router injection secret";
  static final long INJECTED = 1_000_000;
  @RegisterExtension static final TestRouter router = TestRouter.perClass();

  @Test
  void unencryptedFramesInAnE2eeStreamAreNeverDeliveredAndCounted() throws Exception {
    String sid = router.createSession(true);
    AtomicInteger injected = new AtomicInteger();
    try (HostileRouter evil = new HostileRouter(router.router.mediaUrl());
        Participant alice = new Participant(router, sid, "alice", SECRET, null);
        Participant bob = new Participant(router, evil.url(), sid, "bob", SECRET, null)) {
      Stream stream = alice.publish(Codec.VP8);
      evil.rule((link, dir, m) -> {
        if (dir == HostileRouter.Dir.TO_CLIENT && type(m) == MEDIA_FRAME) {
          // Each genuine frame is followed by a plaintext one of the same stream, keyframe flag set.
          int n = injected.getAndIncrement();
          return List.of(m, HostileWire.plainVideo(HostileWire.Frame.of(m).streamId(), n,
              ClientOutputTap.markedPayload("inject", INJECTED + n, 300)).encode());
        }
        return List.of(m);
      });
      Subscriber sub = bob.subscribe(bob.streamOf("alice"));
      long sent;
      try (FramePump pump = new FramePump(alice.publisher, Codec.VP8, "alice", 400, 60)) {
        waitUntil("genuine frames delivered", () -> bob.rec.counters(stream.id()).size() >= 40);
        sent = pump.stop();
      }
      waitUntil("every genuine frame delivered", () -> bob.rec.counters(stream.id()).size() >= sent);
      evil.links.get(0).barrier(bob.rec);

      List<Long> counters = bob.rec.counters(stream.id());
      assertThat(counters).as("injected frames delivered").noneMatch(c -> c >= INJECTED);
      assertThat(counters).as("genuine frames, in order, none lost").hasSize((int) sent);
      for (int i = 0; i < counters.size(); i++) {
        assertThat(counters.get(i)).isEqualTo(i);
      }
      assertThat(sub.stats().framesDelivered()).isEqualTo(sent);
      assertThat(sub.stats().framesReceived() - sub.stats().framesDelivered())
          .as("received but not delivered: exactly the injected frames").isEqualTo(injected.get());
      assertThat(sub.stats().failedUnencrypted()).as("unencrypted frames counted").isEqualTo(injected.get());
    }
  }
}
