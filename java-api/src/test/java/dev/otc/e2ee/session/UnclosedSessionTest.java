package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Collector;
import dev.otc.e2ee.Session;
import java.lang.ref.WeakReference;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A session the application stops referencing without closing it is collected (the SDK's callback
 * registry holds it weakly) and its native session deleted by the cleaner: the router drops its
 * connection, which the other participant sees. Before, the registry held every session strongly
 * and such a session stayed connected, with its two native threads, until the process ended.
 */
@Timeout(180)
class UnclosedSessionTest {
  /** Upper bound for the collector to notice; each round asks for a GC. */
  static final Duration COLLECT_WITHIN = Duration.ofSeconds(90);

  @RegisterExtension
  static final TestRouter router = TestRouter.perClass();

  @Test
  void anUnreferencedConnectedSessionIsCollectedAndItsNativeSessionDeleted() throws Exception {
    String sid = router.createSession(false);
    try (Participant alice = new Participant(router, sid, "alice", null, null)) {
      int seenBefore = alice.rec.connectionsCreated.size();
      Recorder bobEvents = new Recorder();
      WeakReference<Session> bob = connectAndForget(sid, bobEvents);
      waitUntil("alice sees bob", () -> alice.rec.connectionsCreated.size() > seenBefore);

      Collector.awaitCollected(bob, COLLECT_WITHIN); // the unclosed, unreferenced session
      // The cleaner deleted the native session: its connection to the router is gone.
      waitUntil("alice sees bob's connection dropped",
          () -> alice.rec.log.stream().anyMatch(e -> e.startsWith("session.connectionDropped")));
      assertThat(bobEvents.sessionErrors).isEmpty();
    }
  }

  /** Connects a session and returns only a weak reference to it (nothing else keeps it). */
  private static WeakReference<Session> connectAndForget(String sid, Recorder events) {
    Session session = router.session(sid, events).build();
    session.connect(router.token(sid));
    waitUntil("bob connected", () -> events.sessionConnected.get() == 1 || !events.sessionErrors.isEmpty());
    assertThat(events.sessionErrors).isEmpty();
    return new WeakReference<>(session);
  }
}
