package dev.otc.e2ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otc.e2ee.bindings.global.otc;
import org.junit.jupiter.api.Test;

class E2eeTest {
  @Test
  void capabilitiesOfTheLoadedLibrary() {
    assertThat(E2ee.isSupported()).isTrue();
    assertThat(E2ee.version())
        .isEqualTo(otc.OTC_VERSION_MAJOR + "." + otc.OTC_VERSION_MINOR + "." + otc.OTC_VERSION_PATCH);
    assertThat(E2ee.formatVersion()).isEqualTo(otc.OTC_E2EE_FORMAT_VERSION).isEqualTo(1);
    assertThat(E2ee.cryptoLibraryVersion()).startsWith("OpenSSL 3.");
    AesImplementation impl = E2ee.aesImplementation();
    assertThat(otc.otc_aes_implementation_name(impl.code()).getString())
        .isEqualTo(switch (impl) {
          case PORTABLE -> "portable";
          case AES_NI -> "aes-ni";
          case VAES -> "vaes";
          case ARMV8_CE -> "armv8-ce";
        });
    // The engine's name agrees with the implementation class it reports.
    String engine = E2ee.aesEngine();
    switch (impl) {
      case VAES -> assertThat(engine).isEqualTo("ipsec-mb VAES AVX-512");
      case AES_NI -> assertThat(engine).isIn("ipsec-mb AES-NI AVX2", "ipsec-mb AES-NI SSE", "OpenSSL AES-NI");
      case ARMV8_CE -> assertThat(engine).isEqualTo("OpenSSL ARMv8 CE");
      case PORTABLE -> assertThat(engine).isEqualTo("OpenSSL portable");
    }
    assertThat(E2ee.buildPlatform()).isEqualTo(dev.otc.e2ee.internal.NativeLibrary.platform());
  }

  @Test
  void cipherSuitesMatchTheNativeTable() {
    assertThat(CipherSuite.DEFAULT).isEqualTo(CipherSuite.AES_256_GCM_SHA512_128);
    assertThat(CipherSuite.DEFAULT.id()).isEqualTo(otc.OTC_CIPHER_SUITE_DEFAULT);
    for (CipherSuite s : CipherSuite.values()) {
      assertThat(s.tagSize()).as(s.name()).isEqualTo(otc.otc_cipher_suite_tag_size(s.id()));
      assertThat(s.maxOverhead()).as(s.name()).isEqualTo(otc.OTC_SFRAME_MAX_HEADER_SIZE + otc.otc_cipher_suite_tag_size(s.id()));
      assertThat(s.nativeName()).isEqualTo(s.name());
      assertThat(CipherSuite.fromId(s.id())).isSameAs(s);
    }
    assertThat(CipherSuite.AES_128_CTR_HMAC_SHA256_32.maxOverhead()).isEqualTo(21);
    assertThatThrownBy(() -> CipherSuite.fromId(6)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CipherSuite.fromId(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
