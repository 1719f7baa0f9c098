package dev.otc.e2ee;

/**
 * Events of a {@link Session} ({@code struct otc_session_callbacks}). Every method has an empty
 * default: implement only what you need.
 *
 * <p>Events of one session arrive one at a time and in order, on the session's event thread (see
 * {@link Session.Builder#executor}). A listener may call any SDK method, including
 * {@link Session#close()}. Whatever it throws is logged and ignored; it never reaches the SDK.
 */
public interface SessionListener {
  /** The router accepted the token; streams already published follow as {@link #onStreamReceived}. */
  default void onConnected(Session session) {}

  /** The session is no longer connected: after {@link Session#disconnect()} or a connection error. */
  default void onDisconnected(Session session) {}

  /**
   * The connection was lost after {@link #onConnected} without {@link Session#disconnect()}
   * (network, router stopped or draining): the session reconnects by itself, within
   * {@link Session.Builder#reconnectTimeout}. Meanwhile publishers drop frames (sending does not
   * fail, nothing is sent) and subscribers receive nothing; keys and replay state are kept.
   */
  default void onReconnectionStarted(Session session) {}

  /**
   * Connected again (to the same or another router node): publishers are published again under
   * their stream ids where the router could keep them, subscriptions resume as their streams
   * reappear. If the reconnect timeout passes first: {@link #onError} with
   * {@link ErrorCode#SESSION_CONNECTION_DROPPED}, then {@link #onDisconnected}.
   */
  default void onReconnected(Session session) {}

  /** Another client is (or already was) in the session. */
  default void onConnectionCreated(Session session, Connection connection) {}

  /** Another client left. */
  default void onConnectionDropped(Session session, Connection connection, Connection.DropReason reason) {}

  /** A stream published by another client; subscribe with {@link Session#subscribe}. */
  default void onStreamReceived(Session session, Stream stream) {}

  /** A stream of another client ended. */
  default void onStreamDropped(Session session, Stream stream, Stream.DropReason reason) {}

  /** A signal from another client ({@code from} has empty data if its connection was not announced). */
  default void onSignalReceived(Session session, String type, String data, Connection from) {}

  /**
   * A session-level error, e.g. {@link ErrorCode#SESSION_CONNECTION_FAILED},
   * {@link ErrorCode#SESSION_AUTHORIZATION_FAILURE}, {@link ErrorCode#SESSION_CONNECTION_DROPPED},
   * {@link ErrorCode#SESSION_ROUTER_SHUTDOWN}. Errors that end an established connection are
   * followed by {@link #onDisconnected}; a failed connect attempt gets this event only.
   */
  default void onError(Session session, OtcException error) {}
}
