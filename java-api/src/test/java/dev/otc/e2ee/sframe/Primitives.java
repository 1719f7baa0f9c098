package dev.otc.e2ee.sframe;

import static dev.otc.e2ee.sframe.TestingApi.LIB;
import static dev.otc.e2ee.sframe.TestingApi.OTC_SUCCESS;

import dev.otc.e2ee.CipherSuite;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.internal.SessionIds;
import java.util.Arrays;
import java.util.Objects;

/**
 * Test-only: the primitives and key schedule of docs/FORMAT.md as the native library computes
 * them (native/testing/include/otc/testing/primitives.h, in the test build of libotc only), so that
 * the tests check them against standard vectors and the independent Java implementation
 * (dev.otc.e2ee.reference). Applications have no such API.
 *
 * <p>Keys, secrets and derived outputs cross into native code in buffers that are wiped after
 * the call; returned arrays are the caller's to wipe.
 */
public final class Primitives {
  private Primitives() {}

  /** Hash functions of the HKDF primitives ({@code otc_hash}). */
  public enum Hash {
    SHA256(1, 32),
    SHA512(2, 64);

    private final int id;
    private final int length;

    Hash(int id, int length) {
      this.id = id;
      this.length = length;
    }

    public int id() {
      return id;
    }

    /** Output length in bytes. */
    public int length() {
      return length;
    }
  }

  /** An SFrame key (Nk bytes) and salt (Nn = 12 bytes). */
  public record KeyAndSalt(byte[] key, byte[] salt) {
    /** Never shows key material. */
    @Override
    public String toString() {
      return "KeyAndSalt[key=" + key.length + " bytes, salt=" + salt.length + " bytes]";
    }
  }

  private static final int MASTER_KEY_LENGTH = 32;
  private static final int BASE_KEY_LENGTH = 32;
  private static final int NONCE_LENGTH = 12;
  private static final int MAX_KEY_LENGTH = 64;

  private static void check(int rc, String what) {
    if (rc != OTC_SUCCESS) {
      throw OtcException.of(rc, what);
    }
  }

  /** HKDF-Extract (RFC 5869). */
  public static byte[] hkdfExtract(Hash hash, byte[] salt, byte[] ikm) {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(ikm, "ikm");
    long[] len = new long[1];
    try (SecretMemory s = SecretMemory.copyOf(salt); SecretMemory k = SecretMemory.copyOf(ikm);
        SecretMemory prk = SecretMemory.allocate(hash.length())) {
      check(LIB.otc_hkdf_extract(hash.id(), s.pointer(), salt.length, k.pointer(), ikm.length, prk.pointer(),
          hash.length(), len), "hkdfExtract");
      return prk.toArray(len[0]);
    }
  }

  /** HKDF-Expand (RFC 5869); {@code length} at most 255 hash lengths. */
  public static byte[] hkdfExpand(Hash hash, byte[] prk, byte[] info, int length) {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(prk, "prk");
    Objects.requireNonNull(info, "info");
    checkLength(length);
    try (SecretMemory p = SecretMemory.copyOf(prk); SecretMemory i = SecretMemory.copyOf(info);
        SecretMemory okm = SecretMemory.allocate(length)) {
      check(LIB.otc_hkdf_expand(hash.id(), p.pointer(), prk.length, i.pointer(), info.length, okm.pointer(), length),
          "hkdfExpand");
      return okm.toArray(length);
    }
  }

  /** HKDF = Extract then Expand. */
  public static byte[] hkdf(Hash hash, byte[] salt, byte[] ikm, byte[] info, int length) {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(ikm, "ikm");
    Objects.requireNonNull(info, "info");
    checkLength(length);
    try (SecretMemory s = SecretMemory.copyOf(salt); SecretMemory k = SecretMemory.copyOf(ikm);
        SecretMemory i = SecretMemory.copyOf(info); SecretMemory okm = SecretMemory.allocate(length)) {
      check(LIB.otc_hkdf(hash.id(), s.pointer(), salt.length, k.pointer(), ikm.length, i.pointer(), info.length,
          okm.pointer(), length), "hkdf");
      return okm.toArray(length);
    }
  }

  private static void checkLength(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
  }

  /**
   * One-shot AEAD of an SFrame suite (RFC 9605 sec. 4.5): ciphertext || tag. For the CTR-HMAC
   * suites {@code key} is the 48-byte enc_key || auth_key of the RFC's vectors.
   */
  public static byte[] aeadSeal(CipherSuite suite, byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(aad, "aad");
    Objects.requireNonNull(plaintext, "plaintext");
    int capacity = plaintext.length + suite.tagSize();
    long[] len = new long[1];
    try (SecretMemory k = SecretMemory.copyOf(key); SecretMemory n = SecretMemory.copyOf(nonce);
        SecretMemory a = SecretMemory.copyOf(aad); SecretMemory p = SecretMemory.copyOf(plaintext);
        SecretMemory out = SecretMemory.allocate(capacity)) {
      check(LIB.otc_aead_seal(suite.id(), k.pointer(), key.length, n.pointer(), nonce.length, a.pointer(), aad.length,
          p.pointer(), plaintext.length, out.pointer(), capacity, len), "aeadSeal");
      return out.toArray(len[0]);
    }
  }

  /**
   * Inverse of {@link #aeadSeal}.
   *
   * @throws OtcException with {@code FRAME_AUTHENTICATION_FAILED} when the tag does not verify
   */
  public static byte[] aeadOpen(CipherSuite suite, byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(aad, "aad");
    Objects.requireNonNull(ciphertext, "ciphertext");
    int capacity = Math.max(0, ciphertext.length - suite.tagSize());
    long[] len = new long[1];
    try (SecretMemory k = SecretMemory.copyOf(key); SecretMemory n = SecretMemory.copyOf(nonce);
        SecretMemory a = SecretMemory.copyOf(aad); SecretMemory c = SecretMemory.copyOf(ciphertext);
        SecretMemory out = SecretMemory.allocate(capacity)) {
      int rc = LIB.otc_aead_open(suite.id(), k.pointer(), key.length, n.pointer(), nonce.length, a.pointer(),
          aad.length, c.pointer(), ciphertext.length, out.pointer(), capacity, len);
      if (rc != OTC_SUCCESS) {
        throw OtcException.frameOutcome(rc, "aeadOpen");
      }
      return out.toArray(len[0]);
    }
  }

  /**
   * The 32-byte master key: scrypt(secret, "otc-e2ee/1 master" || sessionId, N=32768, r=8, p=1). Slow.
   *
   * @throws OtcException with {@code SESSION_INVALID_SESSION_ID} for an id a C string cannot carry
   */
  public static byte[] deriveMasterKey(String sessionId, byte[] secretUtf8) {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(secretUtf8, "secretUtf8");
    byte[] sid = SessionIds.toUtf8(sessionId);
    byte[] sidNulTerminated = Arrays.copyOf(sid, sid.length + 1);
    try (SecretMemory s = SecretMemory.copyOf(secretUtf8); SecretMemory master = SecretMemory.allocate(MASTER_KEY_LENGTH)) {
      check(LIB.otc_e2ee_derive_master_key(sidNulTerminated, s.pointer(), secretUtf8.length, master.pointer(),
          MASTER_KEY_LENGTH), "deriveMasterKey");
      return master.toArray(MASTER_KEY_LENGTH);
    }
  }

  /** The 16-bit fingerprint of a master key (upper 16 bits of every KID under it), 0..65535. */
  public static int masterKeyFingerprint(byte[] master) {
    Objects.requireNonNull(master, "master");
    short[] fp = new short[1];
    try (SecretMemory m = SecretMemory.copyOf(master)) {
      check(LIB.otc_e2ee_master_key_fingerprint(m.pointer(), master.length, fp), "masterKeyFingerprint");
      return fp[0] & 0xFFFF;
    }
  }

  /** The 32-byte per-sender base key for {@code kid} under {@code suite}. */
  public static byte[] deriveBaseKey(byte[] master, long kid, CipherSuite suite) {
    Objects.requireNonNull(master, "master");
    Objects.requireNonNull(suite, "suite");
    try (SecretMemory m = SecretMemory.copyOf(master); SecretMemory base = SecretMemory.allocate(BASE_KEY_LENGTH)) {
      check(LIB.otc_e2ee_derive_base_key(m.pointer(), master.length, kid, suite.id(), base.pointer(), BASE_KEY_LENGTH),
          "deriveBaseKey");
      return base.toArray(BASE_KEY_LENGTH);
    }
  }

  /** RFC 9605 sec. 4.4.2: sframe_key and sframe_salt for a base key. */
  public static KeyAndSalt deriveKeyAndSalt(CipherSuite suite, long kid, byte[] baseKey) {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(baseKey, "baseKey");
    long[] keyLen = new long[1];
    try (SecretMemory b = SecretMemory.copyOf(baseKey); SecretMemory key = SecretMemory.allocate(MAX_KEY_LENGTH);
        SecretMemory salt = SecretMemory.allocate(NONCE_LENGTH)) {
      check(LIB.otc_sframe_derive_key_and_salt(suite.id(), kid, b.pointer(), baseKey.length, key.pointer(),
          MAX_KEY_LENGTH, keyLen, salt.pointer(), NONCE_LENGTH), "deriveKeyAndSalt");
      return new KeyAndSalt(key.toArray(keyLen[0]), salt.toArray(NONCE_LENGTH));
    }
  }
}
