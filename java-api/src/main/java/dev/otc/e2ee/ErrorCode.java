package dev.otc.e2ee;

import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.internal.NativeLibrary;
import java.util.HashMap;
import java.util.Map;

/**
 * Status codes of the C API ({@code native/include/otc/errors.h}), one constant per
 * {@code OTC_*} code with the same number, named without the prefix. The numbers are stable;
 * a test compares every constant with the loaded library's {@code otc_error_name}.
 */
public enum ErrorCode {
  SUCCESS(0),

  ERR_INVALID_PARAM(1),
  ERR_FATAL(2),
  ERR_BUFFER_TOO_SMALL(3),
  ERR_NOT_SUPPORTED(4),
  ERR_NO_MEMORY(5),
  ERR_INVALID_STATE(6),

  FRAME_MALFORMED(100),
  FRAME_AUTHENTICATION_FAILED(101),
  FRAME_REPLAYED(102),
  FRAME_UNKNOWN_KEY(103),
  FRAME_COUNTER_EXHAUSTED(104),

  SESSION_AUTHORIZATION_FAILURE(1004),
  SESSION_INVALID_SESSION_ID(1005),
  SESSION_CONNECTION_FAILED(1006),
  SESSION_NOT_CONNECTED(1010),
  SESSION_PERMISSION_DENIED(1014),
  SESSION_CONNECTION_TIMED_OUT(1021),
  SESSION_CONNECTION_DROPPED(1022),
  SESSION_PROTOCOL_ERROR(1030),
  SESSION_INCOMPATIBLE_PROTOCOL(1031),
  SESSION_ROUTER_SHUTDOWN(1040),
  SESSION_TOO_MANY_PENDING_CONNECTIONS(1050),
  SESSION_FULL(1051),
  SESSION_STREAM_LIMIT(1052),
  STREAM_NOT_FOUND(1601),

  // Codes the OpenTok Linux SDK defines and this SDK never reports (docs/OPENTOK-COMPAT.md):
  // present so that every number of errors.h has its constant.
  SESSION_NULL_OR_INVALID_PARAMETER(1011),
  SESSION_ILLEGAL_STATE(1015),
  SESSION_STATE_FAILED(1020),
  SESSION_CONNECTION_REFUSED(1023),
  SESSION_BLOCKED_COUNTRY(1026),
  SESSION_CONNECTION_LIMIT_EXCEEDED(1027),
  SESSION_SUBSCRIBER_NOT_FOUND(1112),
  SESSION_PUBLISHER_NOT_FOUND(1113),
  SESSION_SIGNAL_DATA_TOO_LONG(1413),
  SESSION_SIGNAL_TYPE_TOO_LONG(1414),
  SESSION_INVALID_SIGNAL_TYPE(1461),
  PUBLISHER_UNABLE_TO_PUBLISH(1500),
  SESSION_NO_MESSAGING_SERVER(1503),
  SESSION_FORCE_UNPUBLISH_OR_INVALID_STREAM(1535),
  PUBLISHER_TIMED_OUT(1541),
  SUBSCRIBER_TIMED_OUT(1542),
  SESSION_UNABLE_TO_SEND_SIGNAL(1550),
  SUBSCRIBER_WEBRTC_ERROR(1600),
  SUBSCRIBER_SERVER_CANNOT_FIND_STREAM(1604),
  SUBSCRIBER_STREAM_LIMIT_EXCEEDED(1605),
  PUBLISHER_WEBRTC_ERROR(1610),
  SESSION_INTERNAL_ERROR(2000),
  SESSION_UNEXPECTED_GET_SESSION_INFO_REPONSE(2001),

  SESSION_ENCRYPTION_SECRET_MISSING(6000),
  PUBLISHER_ENCRYPTION_INTERNAL_ERROR(6001),
  SUBSCRIBER_DECRYPTION_INTERNAL_ERROR(6002),
  SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH(6003),
  SESSION_INVALID_ENCRYPTION_SECRET(6004),
  PUBLISHER_UNSUPPORTED_CODEC(6005),
  SUBSCRIBER_UNSUPPORTED_CODEC(6006),
  SUBSCRIBER_ENCRYPTION_SECRET_MISSING(6007),
  E2EE_NOT_SUPPORTED(6008),
  E2EE_INCOMPATIBLE_VERSION(6009),
  SESSION_UNENCRYPTED_FRAME_REFUSED(6010),
  /** The router called the session or a stream not E2EE while this client holds a secret or requires E2EE. */
  SESSION_E2EE_DOWNGRADE(6011),

  /** A number this version of the Java API does not know (see {@link OtcException#nativeCode()}). */
  UNKNOWN(-1);

  private static final Map<Integer, ErrorCode> BY_CODE = new HashMap<>();

  static {
    for (ErrorCode c : values()) {
      BY_CODE.put(c.code, c);
    }
  }

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  /** The C API's number. */
  public int code() {
    return code;
  }

  /** The C symbol, e.g. {@code OTC_SESSION_INVALID_ENCRYPTION_SECRET}; {@code UNKNOWN} has none. */
  public String nativeName() {
    return this == UNKNOWN ? "UNKNOWN" : "OTC_" + name();
  }

  /** English description from {@code otc_error_string}. */
  public String description() {
    return describe(code);
  }

  /** The constant for a C API number; {@link #UNKNOWN} for numbers this version does not know. */
  public static ErrorCode fromCode(int code) {
    return BY_CODE.getOrDefault(code, UNKNOWN);
  }

  static String describe(int code) {
    NativeLibrary.ensureLoaded();
    return otc.otc_error_string(code).getString();
  }
}
