package dev.otc.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.LongByReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An independent check of the C ABI: JNA opens the same libotc.so directly (no JavaCPP, no
 * generated code) and declares the functions from the header by hand. If the generated
 * bindings and this hand-written view disagree with the library, one of these tests fails.
 * size_t and uint64_t are Java long here: this test targets LP64 platforms.
 */
class JnaAbiTest {
  /** The subset of the C API this test needs, declared from native/include/otc by hand. */
  public interface Otc extends Library {
    String otc_error_name(int code);

    String otc_error_string(int code);

    String otc_version();

    String otc_crypto_library_version();

    int otc_e2ee_format_version();

    int otc_e2ee_is_supported();

    int otc_aes_implementation_in_use();

    long otc_cipher_suite_tag_size(int suite);

    int otc_encryption_secret_validate(byte[] utf8, long len);

    Pointer otc_frame_cryptor_new(byte[] sessionIdNulTerminated, int suite);

    int otc_frame_cryptor_delete(Pointer cryptor);

    int otc_frame_cryptor_set_encryption_secret(Pointer cryptor, byte[] secret, long len);

    int otc_frame_cryptor_has_encryption_secret(Pointer cryptor);

    int otc_frame_cryptor_cipher_suite(Pointer cryptor);

    long otc_frame_cryptor_max_overhead(Pointer cryptor);

    int otc_frame_cryptor_encrypt(Pointer cryptor, byte[] md, long mdLen, byte[] pt, long ptLen,
        byte[] out, long capacity, LongByReference outLen);

    int otc_frame_cryptor_decrypt(Pointer cryptor, byte[] md, long mdLen, byte[] frame, long frameLen,
        byte[] out, long capacity, LongByReference outLen);

    int otc_frame_cryptor_get_stats(Pointer cryptor, Stats stats);
  }

  /**
   * struct otc_frame_cryptor_stats: size_t struct_size, then thirteen uint64_t in header order (the
   * library fills as many bytes as struct_size declares).
   */
  @Structure.FieldOrder({"struct_size", "frames_encrypted", "frames_decrypted", "secret_mismatch", "authentication_failed",
      "replayed", "malformed", "buffer_too_small", "secret_missing", "internal_error", "secrets_set",
      "secrets_expired", "new_sender_derivations", "new_sender_refused"})
  public static class Stats extends Structure {
    public long struct_size;  // size_t on the 64-bit platforms this test runs on
    public long frames_encrypted;
    public long frames_decrypted;
    public long secret_mismatch;
    public long authentication_failed;
    public long replayed;
    public long malformed;
    public long buffer_too_small;
    public long secret_missing;
    public long internal_error;
    public long secrets_set;
    public long secrets_expired;
    public long new_sender_derivations;
    public long new_sender_refused;
  }

  private static final String SESSION = "jna-abi-session";
  private static final String SECRET = "jna secret \u00e9\ud83d\ude00";
  private static Otc lib;

  @BeforeAll
  static void open() {
    Path so = TestFiles.nativeLibDir().resolve("libotc.so.0");
    assertThat(Files.isRegularFile(so)).as(so.toString()).isTrue();
    lib = Native.load(so.toString(), Otc.class);
  }

  private static byte[] cString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(b, b.length + 1);
  }

  @Test
  void everyErrorCodeHasItsNameAndNumberInTheLibrary() {
    for (ErrorCode c : ErrorCode.values()) {
      if (c != ErrorCode.UNKNOWN) {
        assertThat(lib.otc_error_name(c.code())).as("%s", c).isEqualTo("OTC_" + c.name());
        assertThat(lib.otc_error_string(c.code())).isEqualTo(c.description());
      }
    }
    assertThat(lib.otc_error_name(-1)).isNull();
    assertThat(lib.otc_error_string(-1)).isNotEmpty();
  }

  @Test
  void capabilitiesAgreeWithTheJavaApi() {
    assertThat(lib.otc_version()).isEqualTo(E2ee.version());
    assertThat(lib.otc_crypto_library_version()).isEqualTo(E2ee.cryptoLibraryVersion());
    assertThat(lib.otc_e2ee_format_version()).isEqualTo(E2ee.formatVersion());
    assertThat(lib.otc_e2ee_is_supported() != 0).isEqualTo(E2ee.isSupported()).isTrue();
    assertThat(lib.otc_aes_implementation_in_use()).isEqualTo(E2ee.aesImplementation().code());
    for (CipherSuite s : CipherSuite.values()) {
      assertThat(lib.otc_cipher_suite_tag_size(s.id())).isEqualTo(s.tagSize());
    }
    assertThat(lib.otc_cipher_suite_tag_size(0)).isZero();
    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    assertThat(lib.otc_encryption_secret_validate(secret, secret.length)).isZero();
    assertThat(lib.otc_encryption_secret_validate(secret, 3)).isEqualTo(ErrorCode.SESSION_INVALID_ENCRYPTION_SECRET.code());
  }

  @Test
  void frameCryptorRoundTripThroughTheRawAbiAndAcrossToTheJavaApi() {
    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    Pointer raw = lib.otc_frame_cryptor_new(cString(SESSION), 0);
    assertThat(raw).isNotNull();
    try (FrameCryptor java = FrameCryptor.create(SESSION)) {
      assertThat(lib.otc_frame_cryptor_cipher_suite(raw)).isEqualTo(CipherSuite.DEFAULT.id());
      assertThat(lib.otc_frame_cryptor_max_overhead(raw)).isEqualTo(CipherSuite.DEFAULT.maxOverhead());
      assertThat(lib.otc_frame_cryptor_has_encryption_secret(raw)).isZero();
      assertThat(lib.otc_frame_cryptor_set_encryption_secret(raw, secret, secret.length)).isZero();
      assertThat(lib.otc_frame_cryptor_has_encryption_secret(raw)).isEqualTo(1);
      java.setEncryptionSecret(SECRET);

      byte[] md = {1, 2, 3};
      byte[] pt = "raw ABI payload".getBytes(StandardCharsets.US_ASCII);
      byte[] out = new byte[pt.length + 33];
      LongByReference outLen = new LongByReference();
      assertThat(lib.otc_frame_cryptor_encrypt(raw, md, md.length, pt, pt.length, out, out.length, outLen)).isZero();
      byte[] frame = Arrays.copyOf(out, (int) outLen.getValue());
      assertThat(java.decrypt(md, frame)).isEqualTo(pt);

      byte[] fromJava = java.encrypt(md, pt);
      byte[] plain = new byte[fromJava.length];
      assertThat(lib.otc_frame_cryptor_decrypt(raw, md, md.length, fromJava, fromJava.length, plain, plain.length,
          outLen)).isZero();
      assertThat(Arrays.copyOf(plain, (int) outLen.getValue())).isEqualTo(pt);
      assertThat(lib.otc_frame_cryptor_decrypt(raw, md, md.length, fromJava, fromJava.length, plain, plain.length,
          outLen)).isEqualTo(ErrorCode.FRAME_REPLAYED.code());
      assertThat(lib.otc_frame_cryptor_decrypt(raw, md, md.length, fromJava, fromJava.length, plain, 1, outLen))
          .isEqualTo(ErrorCode.ERR_BUFFER_TOO_SMALL.code());

      Stats stats = new Stats();
      stats.struct_size = stats.size();
      assertThat(lib.otc_frame_cryptor_get_stats(raw, stats)).isZero();
      assertThat(stats.frames_encrypted).isEqualTo(1);
      assertThat(stats.frames_decrypted).isEqualTo(1);
      assertThat(stats.replayed).isEqualTo(1);
      assertThat(stats.buffer_too_small).isEqualTo(1);
      assertThat(stats.secrets_set).isEqualTo(1);
      assertThat(stats.secret_mismatch + stats.authentication_failed + stats.malformed + stats.secret_missing
          + stats.internal_error + stats.secrets_expired).isZero();
      FrameCryptorStats viaJavaCpp = java.stats();
      assertThat(viaJavaCpp.framesEncrypted()).isEqualTo(1);
      assertThat(viaJavaCpp.framesDecrypted()).isEqualTo(1);
      assertThat(viaJavaCpp.secretsSet()).isEqualTo(1);
    } finally {
      assertThat(lib.otc_frame_cryptor_delete(raw)).isZero();
    }
  }

  @Test
  void errorNamesAreDistinct() {
    List<String> names = Arrays.stream(ErrorCode.values()).filter(c -> c != ErrorCode.UNKNOWN)
        .map(c -> lib.otc_error_name(c.code())).toList();
    assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.startsWith("OTC_"));
  }
}
