package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.HostileWire.CONNECTED;
import static dev.otc.e2ee.session.HostileWire.FLAG_ENCRYPTED;
import static dev.otc.e2ee.session.HostileWire.MEDIA_FRAME;
import static dev.otc.e2ee.session.HostileWire.PUBLISH;
import static dev.otc.e2ee.session.HostileWire.STREAM_CREATED;
import static dev.otc.e2ee.session.HostileWire.SUBSCRIBED;
import static dev.otc.e2ee.session.HostileWire.type;
import static dev.otc.e2ee.session.Recorder.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A router that claims the session (CONNECTED) or a stream (STREAM_CREATED) is not end-to-end
 * encrypted, to a client holding the secret: the client reports
 * {@code OTC_SESSION_E2EE_DOWNGRADE} (6011), sends no plaintext (the proxy sees no MEDIA_FRAME
 * without the encrypted flag, no PUBLISH asking for an unencrypted stream, no plaintext marker)
 * and delivers none of the unencrypted frames the router injects.
 *
 * <p>The proxy plays the whole malicious router: it relays the client's frames with the encrypted
 * flag forced on and its PUBLISH forced to encrypted, so the real router (which refuses
 * unencrypted media in an E2EE session) would carry any plaintext the client let out.
 */
@Timeout(60)
class HostileDowngradeTest {
  static final String SECRET = "hostile router downgrade secret";
  static final int E2EE_DOWNGRADE = ErrorCode.SESSION_E2EE_DOWNGRADE.code();
  /** Counters of injected frames start here; an honest publisher never gets near. */
  static final long INJECTED = 1_000_000;
  @RegisterExtension static final TestRouter router = TestRouter.perClass();

  @Test
  void e2eeZeroAtConnectedLeaksNothingAndIsReported() throws Exception {
    runDowngrade(true, true);
  }

  @Test
  void e2eeZeroAtStreamCreatedLeaksNothingAndIsReported() throws Exception {
    runDowngrade(false, true);
  }

  /** No secret yet, but {@code requireE2ee}: the same refusal, so nothing is ever sent in clear. */
  @Test
  void e2eeZeroAtConnectedWithE2eeRequiredAndNoSecretLeaksNothingAndIsReported() throws Exception {
    runDowngrade(true, false);
  }

  /**
   * {@code atConnected}: lie in CONNECTED (and STREAM_CREATED); else only in STREAM_CREATED.
   * {@code secretHeld}: the client holds the secret; else it has none but requires E2EE.
   */
  private void runDowngrade(boolean atConnected, boolean secretHeld) throws Exception {
    String sid = router.createSession(true);
    ClientOutputTap tap = new ClientOutputTap();
    try (HostileRouter evil = new HostileRouter(router.router.mediaUrl());
        Participant carol = new Participant(router, sid, "carol", SECRET, null)) {
      Stream carolStream = carol.publish(Codec.VP8);
      evil.rule((link, dir, m) -> {
        if (dir == HostileRouter.Dir.TO_ROUTER) {
          tap.see(m);
          if (type(m) == PUBLISH) {
            return List.of(HostileWire.publishWithEncrypted(m, true));
          }
          if (type(m) == MEDIA_FRAME) {
            HostileWire.Frame f = HostileWire.Frame.of(m);
            return List.of(f.withFlags(f.flags() | FLAG_ENCRYPTED).encode());
          }
          return List.of(m);
        }
        if (type(m) == CONNECTED && atConnected) {
          return List.of(HostileWire.connectedWithE2ee(m, false));
        }
        if (type(m) == STREAM_CREATED) {
          return List.of(HostileWire.streamCreatedWithE2ee(m, false));
        }
        if (type(m) == SUBSCRIBED && HostileWire.streamIdOf(m).equals(carolStream.id())) {
          // Right behind SUBSCRIBED: unencrypted frames "from carol", carrying the marker.
          List<byte[]> out = new ArrayList<>(List.of(m));
          for (int i = 0; i < 10; i++) {
            out.add(HostileWire.plainVideo(carolStream.id(), i,
                ClientOutputTap.markedPayload("inject", INJECTED + i, 200)).encode());
          }
          return out;
        }
        return List.of(m);
      });

      Recorder rec = new Recorder();
      Session.Builder builder = router.session(sid, rec).routerUrl(evil.url());
      if (secretHeld) {
        builder.encryptionSecret(SECRET);
      } else {
        builder.requireE2ee(true);
      }
      try (Session alice = builder.build();
          Publisher pub = Publisher.builder().name("alice").videoCodec(Codec.VP8).hasAudio(false).listener(rec).build();
          FramePump carolPump = new FramePump(carol.publisher, Codec.VP8, "carol", 300, 30)) {
        alice.connect(router.token(sid));
        waitUntil("alice connected or failed", () -> rec.sessionConnected.get() > 0 || !rec.sessionErrors.isEmpty());

        // The app does what it always does: publish marked frames, subscribe to carol.
        Subscriber sub = null;
        try {
          alice.publish(pub);
          waitUntil("alice's stream answered", () -> rec.publishedStream != null || !rec.publisherErrors.isEmpty()
              || !rec.sessionErrors.isEmpty());
          for (int i = 0; i < 30; i++) {
            pub.sendFrame(MediaFrame.video(Codec.VP8, i == 0, i * 33_333L, ClientOutputTap.markedPayload("alice", i, 400)));
          }
        } catch (OtcException | IllegalStateException refused) {
          // Refusing to publish is one correct answer.
        }
        try {
          // A client that ended the connection (6011 during connect) never hears of the stream.
          waitUntil("alice sees carol's stream or has failed", () -> !rec.streamsReceived.isEmpty()
              || !rec.sessionErrors.isEmpty() || rec.sessionDisconnected.get() > 0);
          if (!rec.streamsReceived.isEmpty()) {
            sub = alice.subscribe(rec.streamsReceived.get(0), rec);
          }
        } catch (OtcException | IllegalStateException refused) {
          // Refusing to subscribe is one correct answer.
        }

        // Let carol's genuine frames and the injected ones reach alice's app, if they ever will.
        HostileRouter.Link link = evil.links.get(0);
        link.barrier(rec);
        if (!link.closed()) {
          // A second publish attempt after the error must not leak either.
          try {
            pub.sendFrame(MediaFrame.video(Codec.VP8, true, 99 * 33_333L, ClientOutputTap.markedPayload("alice", 99, 400)));
          } catch (OtcException | IllegalStateException refused) {
            // fine
          }
          link.barrier(rec);
        }

        assertThat(tap.unencryptedPublishes.get()).as("PUBLISH with encrypted=0 sent by a client holding a secret").isZero();
        assertThat(tap.unencryptedFrames.get()).as("MEDIA_FRAMEs without the encrypted flag").isZero();
        assertThat(tap.framesWithMarker.get()).as("MEDIA_FRAMEs carrying the plaintext marker").isZero();
        assertThat(rec.counters(carolStream.id()).stream().filter(c -> c >= INJECTED))
            .as("injected unencrypted frames delivered to the app").isEmpty();
        assertThat(rec.frames.get()).as("frames delivered in a downgraded session (it carries no media)").isZero();
        waitUntil("downgrade reported (" + E2EE_DOWNGRADE + "), events so far " + rec.log,
            () -> rec.sessionErrors.stream().anyMatch(e -> e.nativeCode() == E2EE_DOWNGRADE));
        if (sub != null) {
          sub.close();
        }
      }
    }
  }
}
