package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.HostileWire.MEDIA_FRAME;
import static dev.otc.e2ee.session.HostileWire.PUBLISH;
import static dev.otc.e2ee.session.HostileWire.type;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a client sent towards the router, seen by the {@link HostileRouter}: every MEDIA_FRAME,
 * those without the encrypted flag, those carrying a plaintext marker, and PUBLISH requests that
 * asked for an unencrypted stream. A client holding a secret must keep the last three at zero.
 */
final class ClientOutputTap {
  static final byte[] MARKER = "HOSTILE-ROUTER-PLAINTEXT-MARKER".getBytes(StandardCharsets.US_ASCII);

  final AtomicLong frames = new AtomicLong();
  final AtomicLong unencryptedFrames = new AtomicLong();
  final AtomicLong framesWithMarker = new AtomicLong();
  final AtomicLong unencryptedPublishes = new AtomicLong();

  void see(byte[] m) {
    if (type(m) == PUBLISH && !HostileWire.publishEncrypted(m)) {
      unencryptedPublishes.incrementAndGet();
    }
    if (type(m) == MEDIA_FRAME) {
      frames.incrementAndGet();
      if (!HostileWire.Frame.of(m).encrypted()) {
        unencryptedFrames.incrementAndGet();
      }
      if (HostileWire.containsBytes(m, MARKER)) {
        framesWithMarker.incrementAndGet();
      }
    }
  }

  /** A payload starting with {@code label|n|} (see {@link FramePump#counterOf}) and carrying the marker. */
  static byte[] markedPayload(String label, long n, int size) {
    byte[] p = FramePump.payload(label, n, size);
    byte[] head = (label + "|" + n + "|").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(MARKER, 0, p, head.length, Math.min(MARKER.length, p.length - head.length));
    return p;
  }
}
