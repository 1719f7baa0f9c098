package dev.otc.e2ee;

/**
 * A failure reported by the native SDK, with its status code. Messages name the code and its
 * description and never contain secrets or key material.
 *
 * <p><b>Which exception, everywhere in this API.</b> An argument the Java API can judge by itself
 * (null, out of range, a NUL or an unpaired surrogate in a string, a payload over the size limit)
 * is {@link IllegalArgumentException} ({@link NullPointerException} for null), thrown before any
 * native call; a closed object is {@link IllegalStateException}. What the native library reports is
 * an {@code OtcException} with its code. The two inputs that have their own row in the error table,
 * the session id ({@link ErrorCode#SESSION_INVALID_SESSION_ID}) and the encryption secret
 * ({@link ErrorCode#SESSION_INVALID_ENCRYPTION_SECRET}), are {@code OtcException}s with that code,
 * so that Java and C applications see the same code for them. Per-frame outcomes of decryption
 * need no exception at all: {@link FrameCryptor#tryDecrypt}.
 *
 * <p><b>Text.</b> Every string that crosses into C (session ids, secrets, names, tokens, signal
 * types and data, connection data) is encoded as strict UTF-8: an unpaired UTF-16 surrogate is
 * rejected, never replaced by {@code '?'}.
 */
public class OtcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode errorCode;
  private final int nativeCode;

  public OtcException(ErrorCode errorCode, String message) {
    this(errorCode.code(), message, true);
  }

  public OtcException(int nativeCode, String message) {
    this(nativeCode, message, true);
  }

  /**
   * @param withStackTrace false for per-frame outcomes (mismatch, replay, ...) that a media
   *     pipeline sees at frame rate: filling in a stack trace would dominate their cost
   */
  protected OtcException(int nativeCode, String message, boolean withStackTrace) {
    super(message, null, withStackTrace, withStackTrace);
    this.nativeCode = nativeCode;
    this.errorCode = ErrorCode.fromCode(nativeCode);
  }

  public ErrorCode errorCode() {
    return errorCode;
  }

  /** The number the C API returned (meaningful when {@link #errorCode()} is {@link ErrorCode#UNKNOWN}). */
  public int nativeCode() {
    return nativeCode;
  }

  /** An exception for a native status, with a message of the form "what: OTC_NAME (description)". */
  public static OtcException of(int nativeCode, String what) {
    return new OtcException(nativeCode, message(nativeCode, what), true);
  }

  /** Same, without stack trace: for per-frame outcomes. */
  public static OtcException frameOutcome(int nativeCode, String what) {
    return new OtcException(nativeCode, message(nativeCode, what), false);
  }

  static String message(int nativeCode, String what) {
    ErrorCode code = ErrorCode.fromCode(nativeCode);
    String name = code == ErrorCode.UNKNOWN ? "status " + nativeCode : code.nativeName();
    return what + ": " + name + " (" + ErrorCode.describe(nativeCode) + ")";
  }
}
