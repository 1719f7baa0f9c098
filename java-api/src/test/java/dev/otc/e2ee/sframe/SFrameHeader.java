package dev.otc.e2ee.sframe;

import static dev.otc.e2ee.sframe.TestingApi.LIB;
import static dev.otc.e2ee.sframe.TestingApi.OTC_SUCCESS;

import dev.otc.e2ee.OtcException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Test-only: an SFrame header (RFC 9605 sec. 4.3) as the native codec of
 * native/testing/include/otc/testing/sframe.h reads and writes it: key id and counter, unsigned
 * 64-bit values carried in {@code long}, and the header's encoded length in bytes.
 */
public record SFrameHeader(long kid, long ctr, int length) {
  /** Largest SFrame header (OTC_SFRAME_MAX_HEADER_SIZE). */
  public static final int MAX_SIZE = 17;

  /** The shortest encoding of (kid, ctr), 1 to 17 bytes. */
  public static byte[] encode(long kid, long ctr) {
    byte[] out = new byte[MAX_SIZE];
    long[] len = new long[1];
    int rc = LIB.otc_sframe_header_encode(kid, ctr, out, out.length, len);
    if (rc != OTC_SUCCESS) {
      throw OtcException.of(rc, "SFrame header encode");
    }
    return Arrays.copyOf(out, (int) len[0]);
  }

  /**
   * Parses the header at the start of {@code frame}.
   *
   * @throws OtcException with {@code FRAME_MALFORMED} when truncated
   */
  public static SFrameHeader decode(byte[] frame) {
    Objects.requireNonNull(frame, "frame");
    long[] kid = new long[1];
    long[] ctr = new long[1];
    long[] len = new long[1];
    int rc = LIB.otc_sframe_header_decode(frame, frame.length, kid, ctr, len);
    if (rc != OTC_SUCCESS) {
      throw OtcException.frameOutcome(rc, "SFrame header decode");
    }
    return new SFrameHeader(kid[0], ctr[0], (int) len[0]);
  }

  @Override
  public String toString() {
    return "SFrameHeader[kid=" + Long.toUnsignedString(kid) + ", ctr=" + Long.toUnsignedString(ctr)
        + ", length=" + length + "]";
  }
}
