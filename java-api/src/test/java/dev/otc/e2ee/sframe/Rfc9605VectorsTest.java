package dev.otc.e2ee.sframe;

import static dev.otc.e2ee.TestFiles.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otc.e2ee.CipherSuite;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.TestFiles;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every vector of RFC 9605 (testvectors/sframe/rfc9605-test-vectors.json) through the Java API. */
class Rfc9605VectorsTest {
  private static final JsonNode VECTORS = TestFiles.json("sframe/rfc9605-test-vectors.json");

  /** kid/ctr in the JSON are unsigned 64-bit numbers, some above Long.MAX_VALUE. */
  private static long u64(JsonNode n) {
    return new BigInteger(n.asText()).longValue();
  }

  @Test
  void fileHasTheExpectedNumberOfVectors() {
    // Guards against iterating an empty or renamed array and passing vacuously.
    assertThat(VECTORS.get("header")).hasSize(289);
    assertThat(VECTORS.get("aes_ctr_hmac")).hasSize(3);
    assertThat(VECTORS.get("sframe")).hasSize(5);
  }

  @TestFactory
  Stream<DynamicTest> headerVectors() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode v : VECTORS.get("header")) {
      long kid = u64(v.get("kid"));
      long ctr = u64(v.get("ctr"));
      byte[] encoded = hex(v.get("encoded"));
      tests.add(DynamicTest.dynamicTest("kid=" + v.get("kid").asText() + " ctr=" + v.get("ctr").asText(), () -> {
        assertThat(SFrameHeader.encode(kid, ctr)).isEqualTo(encoded);
        SFrameHeader decoded = SFrameHeader.decode(encoded);
        assertThat(decoded).isEqualTo(new SFrameHeader(kid, ctr, encoded.length));
        if (encoded.length > 1) {
          byte[] truncated = java.util.Arrays.copyOf(encoded, encoded.length - 1);
          assertThatThrownBy(() -> SFrameHeader.decode(truncated))
              .isInstanceOfSatisfying(OtcException.class,
                  e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FRAME_MALFORMED));
        }
      }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> aesCtrHmacVectors() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode v : VECTORS.get("aes_ctr_hmac")) {
      CipherSuite suite = CipherSuite.fromId(v.get("cipher_suite").asInt());
      tests.add(DynamicTest.dynamicTest(suite.name(), () -> {
        byte[] key = hex(v.get("key"));
        byte[] nonce = hex(v.get("nonce"));
        byte[] aad = hex(v.get("aad"));
        byte[] pt = hex(v.get("pt"));
        byte[] ct = hex(v.get("ct"));
        assertThat(Primitives.aeadSeal(suite, key, nonce, aad, pt)).isEqualTo(ct);
        assertThat(Primitives.aeadOpen(suite, key, nonce, aad, ct)).isEqualTo(pt);
        ct[ct.length - 1] ^= 1;
        assertThatThrownBy(() -> Primitives.aeadOpen(suite, key, nonce, aad, ct))
            .isInstanceOfSatisfying(OtcException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FRAME_AUTHENTICATION_FAILED));
      }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> sframeVectors() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode v : VECTORS.get("sframe")) {
      CipherSuite suite = CipherSuite.fromId(v.get("cipher_suite").asInt());
      tests.add(DynamicTest.dynamicTest(suite.name(), () -> {
        long kid = u64(v.get("kid"));
        long ctr = u64(v.get("ctr"));
        byte[] baseKey = hex(v.get("base_key"));
        byte[] metadata = hex(v.get("metadata"));
        byte[] pt = hex(v.get("pt"));
        byte[] ct = hex(v.get("ct"));
        Primitives.Hash hash = suite == CipherSuite.AES_256_GCM_SHA512_128 ? Primitives.Hash.SHA512 : Primitives.Hash.SHA256;

        assertThat(Primitives.hkdfExtract(hash, new byte[0], baseKey)).isEqualTo(hex(v.get("sframe_secret")));
        Primitives.KeyAndSalt ks = Primitives.deriveKeyAndSalt(suite, kid, baseKey);
        assertThat(ks.key()).isEqualTo(hex(v.get("sframe_key")));
        assertThat(ks.salt()).isEqualTo(hex(v.get("sframe_salt")));
        byte[] secret = hex(v.get("sframe_secret"));
        assertThat(Primitives.hkdfExpand(hash, secret, hex(v.get("sframe_key_label")), ks.key().length))
            .isEqualTo(ks.key());
        assertThat(Primitives.hkdfExpand(hash, secret, hex(v.get("sframe_salt_label")), 12)).isEqualTo(ks.salt());

        // The AEAD step alone, with the vector's nonce and AAD (header || metadata).
        byte[] header = SFrameHeader.encode(kid, ctr);
        assertThat(Primitives.aeadSeal(suite, ks.key(), hex(v.get("nonce")), hex(v.get("aad")), pt))
            .isEqualTo(java.util.Arrays.copyOfRange(ct, header.length, ct.length));

        try (SFrameContext ctx = new SFrameContext(suite)) {
          ctx.addKey(kid, baseKey);
          assertThat(ctx.protect(kid, ctr, metadata, pt)).isEqualTo(ct);
          assertThat(ctx.unprotect(metadata, ct)).isEqualTo(pt);
          byte[] otherMetadata = metadata.clone();
          otherMetadata[0] ^= 1;
          assertThatThrownBy(() -> ctx.unprotect(otherMetadata, ct))
              .isInstanceOfSatisfying(OtcException.class,
                  e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FRAME_AUTHENTICATION_FAILED));
        }
      }));
    }
    return tests.stream();
  }
}
