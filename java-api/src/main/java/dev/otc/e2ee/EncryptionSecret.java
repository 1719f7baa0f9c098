package dev.otc.e2ee;

import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.internal.NativeLibrary;
import dev.otc.e2ee.internal.SecretBytes;
import dev.otc.e2ee.internal.Utf8;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;

/**
 * An end-to-end encryption secret, held as its UTF-8 bytes (docs/FORMAT.md sec. 1): 8 to 256
 * Unicode code points of well-formed UTF-8, no NUL. Anything else is rejected at creation with
 * {@link ErrorCode#SESSION_INVALID_ENCRYPTION_SECRET}.
 *
 * <p>The bytes are a private copy: {@link #close()} zeroes them, and the secret never appears in
 * {@link #toString()} or in an exception message. Prefer {@link #of(char[])} or
 * {@link #ofUtf8(byte[])} over {@link #of(String)} when the caller can wipe its own copy
 * ({@code String}s cannot be wiped). Thread-safe.
 */
public final class EncryptionSecret implements AutoCloseable {
  static final String INVALID_MESSAGE = "invalid encryption secret: it must be 8 to 256 Unicode code points"
      + " of well-formed UTF-8 and must not contain NUL";

  /** Null once closed. */
  private byte[] utf8;

  private EncryptionSecret(byte[] ownedUtf8) {
    this.utf8 = ownedUtf8;
  }

  /**
   * @throws NullPointerException if {@code secret} is null
   * @throws OtcException with {@link ErrorCode#SESSION_INVALID_ENCRYPTION_SECRET} if invalid
   *     (including unpaired surrogates, which have no UTF-8 form)
   */
  public static EncryptionSecret of(String secret) {
    Objects.requireNonNull(secret, "secret");
    return adopt(encode(secret));
  }

  /**
   * A secret from characters; {@code secret} is not modified (the caller wipes it when done).
   *
   * @throws NullPointerException if {@code secret} is null
   * @throws OtcException with {@link ErrorCode#SESSION_INVALID_ENCRYPTION_SECRET} if invalid
   */
  public static EncryptionSecret of(char[] secret) {
    Objects.requireNonNull(secret, "secret");
    return adopt(encode(java.nio.CharBuffer.wrap(secret)));
  }

  /**
   * A secret from its UTF-8 bytes, copied; {@code utf8} is not modified.
   *
   * @throws NullPointerException if {@code utf8} is null
   * @throws OtcException with {@link ErrorCode#SESSION_INVALID_ENCRYPTION_SECRET} if the bytes
   *     are not well-formed UTF-8, hold a NUL, or encode fewer than 8 or more than 256 code points
   */
  public static EncryptionSecret ofUtf8(byte[] utf8) {
    Objects.requireNonNull(utf8, "utf8");
    return adopt(utf8.clone());
  }

  /**
   * @throws NullPointerException if {@code secret} is null
   * @throws OtcException with {@link ErrorCode#SESSION_INVALID_ENCRYPTION_SECRET} if invalid
   */
  public static void validate(String secret) {
    of(secret).close();
  }

  /** Whether {@code secret} is a valid secret; false for null. */
  public static boolean isValid(String secret) {
    if (secret == null) {
      return false;
    }
    try {
      validate(secret);
      return true;
    } catch (OtcException e) {
      return false;
    }
  }

  private static byte[] encode(CharSequence secret) {
    try {
      return Utf8.encode(secret);
    } catch (Utf8.UnpairedSurrogateException e) {
      throw invalid();
    }
  }

  /** Validates bytes this class owns; wipes them if they are rejected. */
  private static EncryptionSecret adopt(byte[] owned) {
    boolean valid = false;
    try {
      valid = owned.length <= otc.OTC_ENCRYPTION_SECRET_MAX_BYTES && nativeValidate(owned);
    } finally {
      if (!valid) {
        SecretBytes.wipe(owned);
      }
    }
    if (!valid) {
      throw invalid();
    }
    return new EncryptionSecret(owned);
  }

  private static boolean nativeValidate(byte[] bytes) {
    NativeLibrary.ensureLoaded();
    BytePointer p = SecretBytes.copyOf(bytes);
    try {
      return otc.otc_encryption_secret_validate(p, bytes.length) == otc.OTC_SUCCESS;
    } finally {
      SecretBytes.wipe(p);
    }
  }

  private static OtcException invalid() {
    return new OtcException(ErrorCode.SESSION_INVALID_ENCRYPTION_SECRET, INVALID_MESSAGE);
  }

  /** A native call that receives the secret as a pointer and length. */
  @FunctionalInterface
  interface NativeUse {
    int apply(BytePointer utf8, long length);
  }

  /**
   * Runs {@code use} with a native copy of the secret, cleared and freed afterwards.
   *
   * @throws IllegalStateException if closed
   */
  synchronized int withNative(NativeUse use) {
    byte[] bytes = bytes();
    BytePointer p = SecretBytes.copyOf(bytes);
    try {
      return use.apply(p, bytes.length);
    } finally {
      SecretBytes.wipe(p);
    }
  }

  private byte[] bytes() {
    if (utf8 == null) {
      throw new IllegalStateException("EncryptionSecret is closed");
    }
    return utf8;
  }

  /** A copy of the UTF-8 bytes; the caller wipes it. */
  public synchronized byte[] toUtf8() {
    return bytes().clone();
  }

  /** Number of Unicode code points. */
  public synchronized int length() {
    byte[] b = bytes();
    int n = 0;
    for (byte x : b) {
      if ((x & 0xC0) != 0x80) {
        n++;
      }
    }
    return n;
  }

  public synchronized boolean isClosed() {
    return utf8 == null;
  }

  /** Zeroes the bytes. Idempotent. */
  @Override
  public synchronized void close() {
    if (utf8 != null) {
      SecretBytes.wipe(utf8);
      utf8 = null;
    }
  }

  /** Never shows the secret. */
  @Override
  public String toString() {
    return isClosed() ? "EncryptionSecret[closed]" : "EncryptionSecret[redacted]";
  }
}
