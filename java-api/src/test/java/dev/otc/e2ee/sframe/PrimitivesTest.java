package dev.otc.e2ee.sframe;

import static dev.otc.e2ee.TestFiles.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otc.e2ee.CipherSuite;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.FrameCryptor;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.TestFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The primitives through the Java API against Wycheproof, and the key schedule against FrameCryptor. */
class PrimitivesTest {
  private static ErrorCode codeOf(Throwable t) {
    return ((OtcException) t).errorCode();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @TestFactory
  Stream<DynamicTest> wycheproofAesGcmWithTheSFrameNonceAndTagSizes() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode group : TestFiles.json("wycheproof/aes_gcm_test.json").get("testGroups")) {
      int keyBits = group.get("keySize").asInt();
      if (group.get("ivSize").asInt() != 96 || group.get("tagSize").asInt() != 128 || (keyBits != 128 && keyBits != 256)) {
        continue;
      }
      CipherSuite suite = keyBits == 128 ? CipherSuite.AES_128_GCM_SHA256_128 : CipherSuite.AES_256_GCM_SHA512_128;
      for (JsonNode t : group.get("tests")) {
        tests.add(DynamicTest.dynamicTest(suite + " tcId " + t.get("tcId").asInt(), () -> {
          byte[] key = hex(t.get("key"));
          byte[] iv = hex(t.get("iv"));
          byte[] aad = hex(t.get("aad"));
          byte[] msg = hex(t.get("msg"));
          byte[] sealed = concat(hex(t.get("ct")), hex(t.get("tag")));
          if (t.get("result").asText().equals("valid")) {
            assertThat(Primitives.aeadSeal(suite, key, iv, aad, msg)).isEqualTo(sealed);
            assertThat(Primitives.aeadOpen(suite, key, iv, aad, sealed)).isEqualTo(msg);
          } else {
            assertThatThrownBy(() -> Primitives.aeadOpen(suite, key, iv, aad, sealed))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.FRAME_AUTHENTICATION_FAILED));
          }
        }));
      }
    }
    assertThat(tests).hasSize(133);
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> wycheproofHkdf() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Primitives.Hash hash : Primitives.Hash.values()) {
      String file = "wycheproof/hkdf_" + hash.name().toLowerCase(java.util.Locale.ROOT) + "_test.json";
      for (JsonNode group : TestFiles.json(file).get("testGroups")) {
        for (JsonNode t : group.get("tests")) {
          tests.add(DynamicTest.dynamicTest(hash + " tcId " + t.get("tcId").asInt(), () -> {
            byte[] ikm = hex(t.get("ikm"));
            byte[] salt = hex(t.get("salt"));
            byte[] info = hex(t.get("info"));
            int size = t.get("size").asInt();
            if (t.get("result").asText().equals("valid")) {
              byte[] okm = hex(t.get("okm"));
              assertThat(Primitives.hkdf(hash, salt, ikm, info, size)).isEqualTo(okm);
              byte[] prk = Primitives.hkdfExtract(hash, salt, ikm);
              assertThat(prk).hasSize(hash.length());
              assertThat(Primitives.hkdfExpand(hash, prk, info, size)).isEqualTo(okm);
            } else {
              assertThatThrownBy(() -> Primitives.hkdf(hash, salt, ikm, info, size))
                  .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.ERR_INVALID_PARAM));
            }
          }));
        }
      }
    }
    assertThat(tests).hasSize(169);
    return tests.stream();
  }

  @Test
  void keyScheduleStepsReproduceWhatFrameCryptorSends() {
    String session = "primitives-session";
    String secret = "primitives secret \u00e9";
    byte[] secretUtf8 = secret.getBytes(StandardCharsets.UTF_8);
    byte[] metadata = {9, 8, 7};
    byte[] payload = "the key schedule, step by step".getBytes(StandardCharsets.US_ASCII);
    for (CipherSuite suite : new CipherSuite[] {CipherSuite.AES_128_CTR_HMAC_SHA256_64, CipherSuite.DEFAULT}) {
      byte[] frame;
      try (FrameCryptor sender = FrameCryptor.builder().sessionId(session).cipherSuite(suite).build()) {
        sender.setEncryptionSecret(secret);
        frame = sender.encrypt(metadata, payload);
      }
      byte[] master = Primitives.deriveMasterKey(session, secretUtf8);
      assertThat(master).hasSize(32);
      long kid = SFrameHeader.decode(frame).kid();
      assertThat(kid >>> 48).isEqualTo(Primitives.masterKeyFingerprint(master));
      byte[] baseKey = Primitives.deriveBaseKey(master, kid, suite);
      try (SFrameContext ctx = new SFrameContext(suite)) {
        ctx.addKey(kid, baseKey);
        assertThat(ctx.unprotect(metadata, frame)).isEqualTo(payload);
      }
      // Another session id gives another master key: the id salts the KDF.
      assertThat(Primitives.deriveMasterKey(session + "2", secretUtf8)).isNotEqualTo(master);
    }
  }

  @Test
  void badArgumentsAreClearErrors() {
    assertThatThrownBy(() -> Primitives.hkdfExpand(Primitives.Hash.SHA256, new byte[32], new byte[0], 255 * 32 + 1))
        .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.ERR_INVALID_PARAM));
    assertThatThrownBy(() -> Primitives.hkdf(Primitives.Hash.SHA256, new byte[0], new byte[1], new byte[0], -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Primitives.aeadSeal(CipherSuite.DEFAULT, new byte[16], new byte[12], new byte[0], new byte[1]))
        .isInstanceOf(OtcException.class);
    assertThatThrownBy(() -> Primitives.deriveMasterKey("a\u0000b", new byte[8]))
        .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.SESSION_INVALID_SESSION_ID));
    assertThatThrownBy(() -> Primitives.hkdfExtract(null, new byte[0], new byte[0])).isInstanceOf(NullPointerException.class);
  }
}
