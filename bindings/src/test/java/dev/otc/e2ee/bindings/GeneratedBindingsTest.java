package dev.otc.e2ee.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.otc.e2ee.bindings.global.otc;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Test;

/** The generated classes load the JNI library and libotc.so from target/native, as from the platform jar. */
class GeneratedBindingsTest {
  @Test
  void loadsAndCallsTheCApi() {
    BytePointer version = otc.otc_version();
    assertNotNull(version);
    assertEquals(otc.OTC_VERSION_MAJOR + "." + otc.OTC_VERSION_MINOR + "." + otc.OTC_VERSION_PATCH, version.getString());
    assertEquals(otc.OTC_E2EE_FORMAT_VERSION, otc.otc_e2ee_format_version());
  }

  @Test
  void enumConstantsAreGeneratedWithTheHeaderNumbers() {
    assertEquals(6004, otc.OTC_SESSION_INVALID_ENCRYPTION_SECRET);
    assertEquals("OTC_SESSION_INVALID_ENCRYPTION_SECRET",
        otc.otc_error_name(otc.OTC_SESSION_INVALID_ENCRYPTION_SECRET).getString());
    assertEquals(otc.OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128, otc.OTC_CIPHER_SUITE_DEFAULT);
  }

  @Test
  void sizeTAndUint64RoundTripThroughTheBinding() {
    // 2^64 - 1 as a Java long is -1: the widest header must come back for it.
    long maxUnsigned = -1L;
    byte[] out = new byte[otc.OTC_SFRAME_MAX_HEADER_SIZE];
    try (org.bytedeco.javacpp.SizeTPointer len = new org.bytedeco.javacpp.SizeTPointer(1)) {
      assertEquals(otc.OTC_SUCCESS, otc.otc_sframe_header_encode(maxUnsigned, maxUnsigned, out, out.length, len));
      assertEquals(otc.OTC_SFRAME_MAX_HEADER_SIZE, len.get());
      long[] kid = new long[1];
      long[] ctr = new long[1];
      assertEquals(otc.OTC_SUCCESS, otc.otc_sframe_header_decode(out, out.length, kid, ctr, len));
      assertEquals(maxUnsigned, kid[0]);
      assertEquals(maxUnsigned, ctr[0]);
      assertTrue(len.get() == otc.OTC_SFRAME_MAX_HEADER_SIZE);
    }
  }
}
