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
    // size_t in and out (lengths, an out-length cell) and uint64_t struct members (the stats).
    dev.otc.e2ee.bindings.otc.otc_frame_cryptor sender = otc.otc_frame_cryptor_new("bindings-session", 0);
    dev.otc.e2ee.bindings.otc.otc_frame_cryptor receiver = otc.otc_frame_cryptor_new("bindings-session", 0);
    byte[] secret = "a secret of at least sixteen bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (org.bytedeco.javacpp.SizeTPointer len = new org.bytedeco.javacpp.SizeTPointer(1);
        dev.otc.e2ee.bindings.otc.otc_frame_cryptor_stats stats = new dev.otc.e2ee.bindings.otc.otc_frame_cryptor_stats()) {
      assertEquals(otc.OTC_SUCCESS, otc.otc_frame_cryptor_set_encryption_secret(sender, secret, secret.length));
      assertEquals(otc.OTC_SUCCESS, otc.otc_frame_cryptor_set_encryption_secret(receiver, secret, secret.length));
      long overhead = otc.otc_frame_cryptor_max_overhead(sender);
      assertEquals(otc.OTC_SFRAME_MAX_HEADER_SIZE + otc.otc_cipher_suite_tag_size(otc.OTC_CIPHER_SUITE_DEFAULT), overhead);
      byte[] plaintext = new byte[1000];
      byte[] frame = new byte[plaintext.length + (int) overhead];
      assertEquals(otc.OTC_SUCCESS, otc.otc_frame_cryptor_encrypt(sender, (byte[]) null, 0, plaintext, plaintext.length,
          frame, frame.length, len));
      long frameLen = len.get();
      assertTrue(frameLen > plaintext.length + 16 && frameLen <= frame.length, "frame length " + frameLen);
      byte[] opened = new byte[plaintext.length];
      assertEquals(otc.OTC_SUCCESS, otc.otc_frame_cryptor_decrypt(receiver, (byte[]) null, 0, frame, frameLen,
          opened, opened.length, len));
      assertEquals(plaintext.length, len.get());
      stats.struct_size(stats.sizeof());
      assertEquals(otc.OTC_SUCCESS, otc.otc_frame_cryptor_get_stats(receiver, stats));
      assertEquals(1L, stats.frames_decrypted());
      assertEquals(0L, stats.frames_encrypted());
      assertEquals(1L, stats.secrets_set());
    } finally {
      otc.otc_frame_cryptor_delete(sender);
      otc.otc_frame_cryptor_delete(receiver);
    }
  }
}
