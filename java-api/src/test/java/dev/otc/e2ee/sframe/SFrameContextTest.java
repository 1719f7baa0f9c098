package dev.otc.e2ee.sframe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otc.e2ee.CipherSuite;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.OtcException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SFrameContextTest {
  private static final byte[] BASE_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PT = "frame payload".getBytes(StandardCharsets.US_ASCII);

  private static ErrorCode codeOf(Throwable t) {
    return ((OtcException) t).errorCode();
  }

  @ParameterizedTest
  @EnumSource(CipherSuite.class)
  void protectUnprotectRoundTripWithExtremeKidAndCounter(CipherSuite suite) {
    long kid = -1L; // 2^64 - 1
    try (SFrameContext ctx = new SFrameContext(suite)) {
      ctx.addKey(kid, BASE_KEY);
      byte[] frame = ctx.protect(kid, -2L, null, PT);
      assertThat(frame).hasSize(PT.length + suite.maxOverhead());
      assertThat(SFrameHeader.decode(frame)).isEqualTo(new SFrameHeader(kid, -2L, 17));
      assertThat(ctx.unprotect(null, frame)).isEqualTo(PT);
    }
  }

  @Test
  void unknownKeyTamperAndTruncationAreDistinctOutcomes() {
    try (SFrameContext ctx = new SFrameContext(CipherSuite.DEFAULT)) {
      ctx.addKey(7, BASE_KEY);
      byte[] frame = ctx.protect(7, 0, new byte[0], PT);

      byte[] tampered = frame.clone();
      tampered[tampered.length - 3] ^= 0x40;
      assertThatThrownBy(() -> ctx.unprotect(null, tampered))
          .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.FRAME_AUTHENTICATION_FAILED));
      assertThatThrownBy(() -> ctx.unprotect(null, new byte[] {frame[0]}))
          .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.FRAME_MALFORMED));

      ctx.removeKey(7);
      assertThatThrownBy(() -> ctx.unprotect(null, frame))
          .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.FRAME_UNKNOWN_KEY));
      assertThatThrownBy(() -> ctx.removeKey(7))
          .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.FRAME_UNKNOWN_KEY));
    }
  }

  @Test
  void closedContextRejectsUseAndCloseIsIdempotent() {
    SFrameContext ctx = new SFrameContext(CipherSuite.AES_128_GCM_SHA256_128);
    ctx.close();
    ctx.close();
    assertThatThrownBy(() -> ctx.addKey(1, BASE_KEY)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ctx.protect(1, 0, null, PT)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ctx.unprotect(null, PT)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void nullArgumentsAreRejectedBeforeNativeCode() {
    try (SFrameContext ctx = new SFrameContext(CipherSuite.DEFAULT)) {
      assertThatThrownBy(() -> ctx.addKey(1, null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> ctx.protect(1, 0, null, null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> ctx.unprotect(null, null)).isInstanceOf(NullPointerException.class);
    }
    assertThatThrownBy(() -> new SFrameContext(null)).isInstanceOf(NullPointerException.class);
  }
}
