package dev.otc.e2ee.internal;

import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.bindings.global.otc;

/**
 * Session ids cross into C as NUL-terminated UTF-8: a NUL inside would silently cut the id (and
 * change the derived keys), and an unpaired surrogate would be replaced by '?'. Both are
 * rejected here, as docs/FORMAT.md sec. 1 requires, before any native call.
 */
public final class SessionIds {
  public static final int MAX_BYTES = otc.OTC_SESSION_ID_MAX_BYTES;

  private SessionIds() {}

  /**
   * The UTF-8 bytes of a valid session id.
   *
   * @throws OtcException with {@link ErrorCode#SESSION_INVALID_SESSION_ID} if empty, longer than
   *     1024 bytes, holding a NUL or an unpaired surrogate
   */
  public static byte[] toUtf8(String sessionId) {
    byte[] bytes;
    try {
      bytes = Utf8.encode(sessionId);
    } catch (Utf8.UnpairedSurrogateException e) {
      throw invalid();
    }
    if (bytes.length == 0 || bytes.length > MAX_BYTES) {
      throw invalid();
    }
    for (byte b : bytes) {
      if (b == 0) {
        throw invalid();
      }
    }
    return bytes;
  }

  private static OtcException invalid() {
    return new OtcException(ErrorCode.SESSION_INVALID_SESSION_ID,
        "invalid session id: it must be 1 to 1024 bytes of UTF-8 without NUL");
  }
}
