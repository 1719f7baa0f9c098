package dev.otc.e2ee;

/**
 * The per-frame outcome of {@link FrameCryptor#tryDecrypt}: how many bytes were written, or why
 * the frame was refused. Refusals are expected events on a receiver (a hostile router replays or
 * forges frames; a peer's secret changes), so they are values here, not exceptions; mistakes of
 * the caller (an output buffer too small, a closed cryptor) still throw.
 *
 * <p>Refusals are shared constants: a refused frame allocates nothing.
 */
public final class DecryptResult {
  /** What happened to the frame. */
  public enum Status {
    /** Decrypted and authenticated; {@link #length()} bytes were written. */
    OK(ErrorCode.SUCCESS),
    /** The frame's key id names no secret this cryptor holds ({@link ErrorCode#SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH}). */
    SECRET_MISMATCH(ErrorCode.SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH),
    /** A held secret, but the frame was tampered with or corrupted ({@link ErrorCode#FRAME_AUTHENTICATION_FAILED}). */
    AUTHENTICATION_FAILED(ErrorCode.FRAME_AUTHENTICATION_FAILED),
    /** Counter seen before or older than the replay window ({@link ErrorCode#FRAME_REPLAYED}). */
    REPLAYED(ErrorCode.FRAME_REPLAYED),
    /** Not an SFrame frame ({@link ErrorCode#FRAME_MALFORMED}). */
    MALFORMED(ErrorCode.FRAME_MALFORMED),
    /** No secret set yet ({@link ErrorCode#SESSION_ENCRYPTION_SECRET_MISSING}). */
    SECRET_MISSING(ErrorCode.SESSION_ENCRYPTION_SECRET_MISSING),
    /** The crypto engine failed ({@link ErrorCode#SUBSCRIBER_DECRYPTION_INTERNAL_ERROR}). */
    INTERNAL_ERROR(ErrorCode.SUBSCRIBER_DECRYPTION_INTERNAL_ERROR);

    private final ErrorCode errorCode;
    private final DecryptResult refusal;

    Status(ErrorCode errorCode) {
      this.errorCode = errorCode;
      this.refusal = errorCode == ErrorCode.SUCCESS ? null : new DecryptResult(this, 0);
    }

    /** The C API's status of this outcome ({@link ErrorCode#SUCCESS} for {@link #OK}). */
    public ErrorCode errorCode() {
      return errorCode;
    }
  }

  private final Status status;
  private final int length;

  private DecryptResult(Status status, int length) {
    this.status = status;
    this.length = length;
  }

  /** From a raw frame call: bytes written, or the negated otc_status. Misuse statuses throw. */
  static DecryptResult of(long raw) {
    if (raw >= 0) {
      return new DecryptResult(Status.OK, (int) raw);
    }
    int code = (int) -raw;
    for (Status s : Status.values()) {
      if (s.errorCode.code() == code) {
        return s.refusal;
      }
    }
    // ERR_BUFFER_TOO_SMALL, ERR_INVALID_PARAM: the caller's mistake, not the frame's.
    throw OtcException.of(code, "tryDecrypt");
  }

  public Status status() {
    return status;
  }

  public boolean isSuccess() {
    return status == Status.OK;
  }

  /** Bytes written on success; 0 otherwise. */
  public int length() {
    return length;
  }

  @Override
  public String toString() {
    return isSuccess() ? "DecryptResult[OK, " + length + " bytes]" : "DecryptResult[" + status + "]";
  }
}
