package dev.otc.e2ee.router;

import java.util.Locale;

/** Which limit of {@link RouterLimits} refused something; a label of {@code otc_router_limit_refusals_total}. */
public enum LimitRefusal {
    /** A media connection refused: too many connections had not completed CONNECT, router-wide (ERROR 1050). */
    PRE_AUTH_CONNECTIONS,
    /** The same, from one address (ERROR 1050). */
    PRE_AUTH_CONNECTIONS_PER_ADDRESS,
    /** A message before CONNECT larger than the pre-auth limit (ERROR 1030). */
    PRE_AUTH_MESSAGE_SIZE,
    /** HELLO and CONNECT not done within the handshake deadline (ERROR 1030). */
    HANDSHAKE_TIMEOUT,
    /** {@code POST /session/create} refused: the application has its maximum of sessions (HTTP 429). */
    SESSIONS,
    /** CONNECT refused: the session is full (ERROR 1051). */
    CONNECTIONS_PER_SESSION,
    /** PUBLISH refused: the connection publishes its maximum of streams (ERROR 1052). */
    STREAMS_PER_CONNECTION,
    /** PUBLISH refused: the session has its maximum of streams (ERROR 1052). */
    STREAMS_PER_SESSION,
    /** A client KEYFRAME_REQUEST dropped: sooner than the interval after the last one for that subscription. */
    KEYFRAME_REQUEST_RATE,
    /** A KEYFRAME_REQUEST refused: the sender does not subscribe to that stream (ERROR 1014). */
    KEYFRAME_REQUEST_NOT_SUBSCRIBED,
    /** A REST connection closed: its request was not complete within the deadline. */
    REST_REQUEST_TIMEOUT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
