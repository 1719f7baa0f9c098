package dev.otc.e2ee.sframe;

import dev.otc.e2ee.CipherSuite;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.internal.NativeLibrary;
import dev.otc.e2ee.internal.SecretBytes;
import dev.otc.e2ee.internal.SessionIds;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The primitives and key schedule of docs/FORMAT.md as the native library computes them, so that
 * they can be checked against standard vectors and independent implementations. Applications
 * normally never call these.
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

  /** One native input buffer per secret argument, wiped however the call ends. */
  private static final class Inputs implements AutoCloseable {
    private final BytePointer[] pointers;

    Inputs(byte[]... arrays) {
      pointers = new BytePointer[arrays.length];
      for (int i = 0; i < arrays.length; i++) {
        pointers[i] = SecretBytes.copyOf(arrays[i]);
      }
    }

    BytePointer get(int i) {
      return pointers[i];
    }

    @Override
    public void close() {
      for (BytePointer p : pointers) {
        SecretBytes.wipe(p);
      }
    }
  }

  private static void check(int rc, String what) {
    if (rc != otc.OTC_SUCCESS) {
      throw OtcException.of(rc, what);
    }
  }

  private static byte[] copyOut(BytePointer p, long length) {
    return SecretBytes.toArray(p, (int) length);
  }

  /** HKDF-Extract (RFC 5869). */
  public static byte[] hkdfExtract(Hash hash, byte[] salt, byte[] ikm) {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(ikm, "ikm");
    NativeLibrary.ensureLoaded();
    BytePointer prk = SecretBytes.allocate(hash.length());
    try (Inputs in = new Inputs(salt, ikm); SizeTPointer len = new SizeTPointer(1)) {
      check(otc.otc_hkdf_extract(hash.id(), in.get(0), salt.length, in.get(1), ikm.length, prk, hash.length(), len),
          "hkdfExtract");
      return copyOut(prk, len.get());
    } finally {
      SecretBytes.wipe(prk);
    }
  }

  /** HKDF-Expand (RFC 5869); {@code length} at most 255 hash lengths. */
  public static byte[] hkdfExpand(Hash hash, byte[] prk, byte[] info, int length) {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(prk, "prk");
    Objects.requireNonNull(info, "info");
    checkLength(length);
    NativeLibrary.ensureLoaded();
    BytePointer okm = SecretBytes.allocate(length);
    try (Inputs in = new Inputs(prk, info)) {
      check(otc.otc_hkdf_expand(hash.id(), in.get(0), prk.length, in.get(1), info.length, okm, length), "hkdfExpand");
      return copyOut(okm, length);
    } finally {
      SecretBytes.wipe(okm);
    }
  }

  /** HKDF = Extract then Expand. */
  public static byte[] hkdf(Hash hash, byte[] salt, byte[] ikm, byte[] info, int length) {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(ikm, "ikm");
    Objects.requireNonNull(info, "info");
    checkLength(length);
    NativeLibrary.ensureLoaded();
    BytePointer okm = SecretBytes.allocate(length);
    try (Inputs in = new Inputs(salt, ikm, info)) {
      check(otc.otc_hkdf(hash.id(), in.get(0), salt.length, in.get(1), ikm.length, in.get(2), info.length, okm, length),
          "hkdf");
      return copyOut(okm, length);
    } finally {
      SecretBytes.wipe(okm);
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
    NativeLibrary.ensureLoaded();
    int capacity = plaintext.length + suite.tagSize();
    BytePointer out = SecretBytes.allocate(capacity);
    try (Inputs in = new Inputs(key, nonce, aad, plaintext); SizeTPointer len = new SizeTPointer(1)) {
      check(otc.otc_aead_seal(suite.id(), in.get(0), key.length, in.get(1), nonce.length, in.get(2), aad.length,
          in.get(3), plaintext.length, out, capacity, len), "aeadSeal");
      return copyOut(out, len.get());
    } finally {
      SecretBytes.wipe(out);
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
    NativeLibrary.ensureLoaded();
    int capacity = Math.max(0, ciphertext.length - suite.tagSize());
    BytePointer out = SecretBytes.allocate(capacity);
    try (Inputs in = new Inputs(key, nonce, aad, ciphertext); SizeTPointer len = new SizeTPointer(1)) {
      int rc = otc.otc_aead_open(suite.id(), in.get(0), key.length, in.get(1), nonce.length, in.get(2), aad.length,
          in.get(3), ciphertext.length, out, capacity, len);
      if (rc != otc.OTC_SUCCESS) {
        throw OtcException.frameOutcome(rc, "aeadOpen");
      }
      return copyOut(out, len.get());
    } finally {
      SecretBytes.wipe(out);
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
    NativeLibrary.ensureLoaded();
    byte[] sid = SessionIds.toUtf8(sessionId);
    BytePointer master = SecretBytes.allocate(MASTER_KEY_LENGTH);
    BytePointer sidNative = SecretBytes.copyOfNulTerminated(sid);
    try (Inputs in = new Inputs(secretUtf8)) {
      check(otc.otc_e2ee_derive_master_key(sidNative, in.get(0), secretUtf8.length, master, MASTER_KEY_LENGTH),
          "deriveMasterKey");
      return copyOut(master, MASTER_KEY_LENGTH);
    } finally {
      sidNative.close();
      SecretBytes.wipe(master);
    }
  }

  /** The 16-bit fingerprint of a master key (upper 16 bits of every KID under it), 0..65535. */
  public static int masterKeyFingerprint(byte[] master) {
    Objects.requireNonNull(master, "master");
    NativeLibrary.ensureLoaded();
    try (Inputs in = new Inputs(master); ShortPointer fp = new ShortPointer(1)) {
      check(otc.otc_e2ee_master_key_fingerprint(in.get(0), master.length, fp), "masterKeyFingerprint");
      return fp.get() & 0xFFFF;
    }
  }

  /** The 32-byte per-sender base key for {@code kid} under {@code suite}. */
  public static byte[] deriveBaseKey(byte[] master, long kid, CipherSuite suite) {
    Objects.requireNonNull(master, "master");
    Objects.requireNonNull(suite, "suite");
    NativeLibrary.ensureLoaded();
    BytePointer base = SecretBytes.allocate(BASE_KEY_LENGTH);
    try (Inputs in = new Inputs(master)) {
      check(otc.otc_e2ee_derive_base_key(in.get(0), master.length, kid, suite.id(), base, BASE_KEY_LENGTH),
          "deriveBaseKey");
      return copyOut(base, BASE_KEY_LENGTH);
    } finally {
      SecretBytes.wipe(base);
    }
  }

  /** RFC 9605 sec. 4.4.2: sframe_key and sframe_salt for a base key. */
  public static KeyAndSalt deriveKeyAndSalt(CipherSuite suite, long kid, byte[] baseKey) {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(baseKey, "baseKey");
    NativeLibrary.ensureLoaded();
    BytePointer key = SecretBytes.allocate(MAX_KEY_LENGTH);
    BytePointer salt = SecretBytes.allocate(NONCE_LENGTH);
    try (Inputs in = new Inputs(baseKey); SizeTPointer keyLen = new SizeTPointer(1)) {
      check(otc.otc_sframe_derive_key_and_salt(suite.id(), kid, in.get(0), baseKey.length, key, MAX_KEY_LENGTH,
          keyLen, salt, NONCE_LENGTH), "deriveKeyAndSalt");
      return new KeyAndSalt(copyOut(key, keyLen.get()), copyOut(salt, NONCE_LENGTH));
    } finally {
      SecretBytes.wipe(key);
      SecretBytes.wipe(salt);
    }
  }
}
