package dev.otc.e2ee.router;

/** The OTC error numbers the router sends (native/include/otc/errors.h is the source of truth). */
final class ErrorCodes {
    static final int AUTHORIZATION_FAILURE = 1004;
    static final int INVALID_SESSION_ID = 1005;
    static final int NOT_CONNECTED = 1010;
    static final int PERMISSION_DENIED = 1014;
    static final int PROTOCOL_ERROR = 1030;
    static final int INCOMPATIBLE_PROTOCOL = 1031;
    static final int ROUTER_SHUTDOWN = 1040;
    /** OTC_SESSION_TOO_MANY_PENDING_CONNECTIONS: too many connections not past CONNECT (router-wide or one address); fatal. */
    static final int TOO_MANY_PENDING_CONNECTIONS = 1050;
    /** OTC_SESSION_FULL: the session already has its maximum number of connections; fatal at CONNECT. */
    static final int SESSION_FULL = 1051;
    /** OTC_SESSION_STREAM_LIMIT: PUBLISH refused, the connection or the session has its maximum of streams. */
    static final int STREAM_LIMIT = 1052;
    static final int STREAM_NOT_FOUND = 1601;
    static final int E2EE_INCOMPATIBLE_VERSION = 6009;
    static final int UNENCRYPTED_FRAME_REFUSED = 6010;

    private ErrorCodes() {
    }
}
