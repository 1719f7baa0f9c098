package dev.otc.e2ee.sframe;

import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.internal.NativeLibrary;
import java.util.Objects;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * An SFrame header (RFC 9605 sec. 4.3): key id and counter, unsigned 64-bit values carried in
 * {@code long}, and the header's encoded length in bytes.
 */
public record SFrameHeader(long kid, long ctr, int length) {
  /** The shortest encoding of (kid, ctr), 1 to 17 bytes. */
  public static byte[] encode(long kid, long ctr) {
    NativeLibrary.ensureLoaded();
    byte[] out = new byte[otc.OTC_SFRAME_MAX_HEADER_SIZE];
    try (SizeTPointer len = new SizeTPointer(1)) {
      int rc = otc.otc_sframe_header_encode(kid, ctr, out, out.length, len);
      if (rc != otc.OTC_SUCCESS) {
        throw OtcException.of(rc, "SFrame header encode");
      }
      return java.util.Arrays.copyOf(out, (int) len.get());
    }
  }

  /**
   * Parses the header at the start of {@code frame}.
   *
   * @throws OtcException with {@code FRAME_MALFORMED} when truncated
   */
  public static SFrameHeader decode(byte[] frame) {
    Objects.requireNonNull(frame, "frame");
    NativeLibrary.ensureLoaded();
    long[] kid = new long[1];
    long[] ctr = new long[1];
    try (SizeTPointer len = new SizeTPointer(1)) {
      int rc = otc.otc_sframe_header_decode(frame, frame.length, kid, ctr, len);
      if (rc != otc.OTC_SUCCESS) {
        throw OtcException.frameOutcome(rc, "SFrame header decode");
      }
      return new SFrameHeader(kid[0], ctr[0], (int) len.get());
    }
  }

  @Override
  public String toString() {
    return "SFrameHeader[kid=" + Long.toUnsignedString(kid) + ", ctr=" + Long.toUnsignedString(ctr)
        + ", length=" + length + "]";
  }
}
