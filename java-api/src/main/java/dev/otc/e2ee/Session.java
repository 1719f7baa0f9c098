package dev.otc.e2ee;

import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.bindings.otc.otc_session;
import dev.otc.e2ee.bindings.otc.otc_session_callbacks;
import dev.otc.e2ee.bindings.otc.otc_session_settings;
import dev.otc.e2ee.bindings.otc.otc_stream;
import dev.otc.e2ee.internal.NativeLibrary;
import dev.otc.e2ee.internal.NativeRef;
import dev.otc.e2ee.internal.NativeStatus;
import dev.otc.e2ee.internal.SecretBytes;
import dev.otc.e2ee.internal.SessionIds;
import dev.otc.e2ee.internal.session.EventDispatcher;
import dev.otc.e2ee.internal.session.NativeText;
import dev.otc.e2ee.internal.session.Registration;
import dev.otc.e2ee.internal.session.SessionCallbacks;
import dev.otc.e2ee.internal.session.Text;
import dev.otc.e2ee.media.VideoRenderer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.bytedeco.javacpp.BytePointer;

/**
 * A session of the media router: one connection, its participants and streams, and the session's
 * end-to-end encryption secret (docs/ARCHITECTURE.md sec. 5-6: the Vonage E2EE API's semantics).
 *
 * <pre>{@code
 * try (Session session = Session.builder()
 *         .sessionId(sessionId).routerUrl(mediaUrl)
 *         .encryptionSecret(secret)            // optional; may also be set later
 *         .listener(myListener)
 *         .build()) {
 *   session.connect(token);                    // outcome: onConnected or onError
 *   ...
 * }
 * }</pre>
 *
 * <p><b>E2EE.</b> Connecting to an E2EE session without a secret is allowed; publishing then
 * fails with {@link ErrorCode#SESSION_ENCRYPTION_SECRET_MISSING} (publisher {@code onError}) and
 * subscribing with {@link ErrorCode#SUBSCRIBER_ENCRYPTION_SECRET_MISSING} (subscriber
 * {@code onError}). {@link #setEncryptionSecret} may be called at any time: the next frame each
 * publisher sends uses the new secret, and previous secrets keep decrypting for the grace period.
 * An invalid secret throws at once with {@link ErrorCode#SESSION_INVALID_ENCRYPTION_SECRET}.
 *
 * <p><b>Events and threads.</b> By default events run on the session's SDK callback thread (one
 * dedicated native thread per session, separate from its network thread): in order, never
 * concurrently, with no hand-off cost. With {@link Builder#executor(Executor)} they run on the
 * application's executor instead, still in order per object (session, each publisher, each
 * subscriber); frames are then copied before the native callback returns, and at most
 * {@link Builder#maxQueuedFrames(int)} frames and {@link Builder#maxQueuedBytes(long)} bytes per
 * subscriber wait for a slow listener (further
 * frames are dropped and counted in {@link SubscriberStats#framesDroppedByListenerQueue()}).
 * Listeners may call any method of the SDK, including {@code close()} of any object.
 *
 * <p><b>Closing.</b> Objects may be closed in any order and from any thread or listener.
 * Closing a session closes its subscribers and ends its publishers' streams; publishers are closed
 * by the application. Keep a reference to a session as long as you want its events: the SDK holds
 * none (its callback registry is weak), so a session the application no longer references and
 * never closed is collected, and its native session deleted (disconnected) by a cleaner, like any
 * other handle of this API. Its subscribers and the publishers published into it live as long as
 * the session.
 */
public final class Session implements AutoCloseable {
  private static final int CONNECTION_ID_CAPACITY = 1025;

  private final otc_session handle;
  private final NativeRef guard;
  private final long callbackId;
  private final String sessionId;
  private final String applicationId;
  private final SessionListener listener;
  private final Executor executor;
  private final int maxQueuedFrames;
  private final long maxQueuedBytes;
  private final EventDispatcher dispatcher;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  /** Published here and not unpublished: kept alive by the session (the callback registry is weak). */
  private final Set<Publisher> published = ConcurrentHashMap.newKeySet();
  private final Events events = new Events();

  private Session(Builder b, otc_session handle, long callbackId) {
    this.handle = handle;
    this.callbackId = callbackId;
    this.sessionId = b.sessionId;
    this.applicationId = b.applicationId;
    this.listener = b.listener;
    this.executor = b.executor;
    this.maxQueuedFrames = b.maxQueuedFrames;
    this.maxQueuedBytes = b.maxQueuedBytes;
    this.dispatcher = newDispatcher("Session[" + sessionId + "]");
    // Freed by close() or, never closed, once unreachable: the callback registry holds only a weak
    // reference to this session's events (SessionCallbacks), so an unclosed session is collectable.
    this.guard = new NativeRef(this, "Session", freeing(handle, callbackId));
  }

  public static Builder builder() {
    return new Builder();
  }

  private EventDispatcher newDispatcher(String owner) {
    return executor == null ? EventDispatcher.inline(owner) : EventDispatcher.on(executor, owner);
  }

  /** The native free of a session; captures no Session (NativeRef). */
  private static Runnable freeing(otc_session handle, long callbackId) {
    return () -> {
      otc.otc_session_delete(handle);
      // otc_session_delete guarantees that no session callback starts after it returns.
      SessionCallbacks.SINKS.unregister(callbackId);
    };
  }

  /** An error reported through a callback, as an exception value (never thrown by the SDK itself). */
  static OtcException callbackError(int code, String nativeMessage) {
    ErrorCode ec = ErrorCode.fromCode(code);
    String name = ec == ErrorCode.UNKNOWN ? "status " + code : ec.nativeName();
    String detail = nativeMessage == null || nativeMessage.isEmpty() ? ErrorCode.describe(code) : nativeMessage;
    return new OtcException(code, name + ": " + detail);
  }

  void forget(Subscriber subscriber) {
    subscribers.remove(subscriber);
  }

  public String sessionId() {
    return sessionId;
  }

  /** The application id given to the builder; empty if none. */
  public Optional<String> applicationId() {
    return Optional.ofNullable(applicationId);
  }

  /**
   * Starts connecting with a client token (a JWT). The outcome arrives as
   * {@link SessionListener#onConnected} or {@link SessionListener#onError}.
   *
   * @throws OtcException with {@link ErrorCode#ERR_INVALID_STATE} if already connecting or connected
   * @throws IllegalStateException if closed
   */
  public void connect(String token) {
    Objects.requireNonNull(token, "token");
    if (token.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("token must not contain NUL");
    }
    // The token is a bearer credential: its copies are cleared, not just freed.
    byte[] bytes = Text.utf8(token, "token");
    guard.acquire();
    BytePointer p = null;
    try {
      p = SecretBytes.copyOfNulTerminated(bytes);
      NativeStatus.check(otc.otc_session_connect(handle, p), "connect");
    } finally {
      SecretBytes.wipe(p);
      SecretBytes.wipe(bytes);
      guard.release(this);
    }
  }

  /**
   * Leaves the session; {@link SessionListener#onDisconnected} follows.
   *
   * @throws OtcException with {@link ErrorCode#ERR_INVALID_STATE} when not connected or connecting
   */
  public void disconnect() {
    guard.run(this, () -> NativeStatus.check(otc.otc_session_disconnect(handle), "disconnect"));
  }

  /** This client's connection id; empty before {@link SessionListener#onConnected} and after disconnecting. */
  public Optional<String> connectionId() {
    guard.acquire();
    try (BytePointer out = new BytePointer(CONNECTION_ID_CAPACITY)) {
      out.zero();
      if (otc.otc_session_get_connection_id(handle, out, CONNECTION_ID_CAPACITY) != otc.OTC_SUCCESS) {
        return Optional.empty();
      }
      return Optional.of(NativeText.readBuffer(out));
    } finally {
      guard.release(this);
    }
  }

  /** Whether connected (this client has a connection id); false while reconnecting. */
  public boolean isConnected() {
    return connectionId().isPresent();
  }

  /** Whether the router reported the session as end-to-end encrypted (false before connecting). */
  public boolean isE2ee() {
    return guard.call(this, () -> otc.otc_session_is_e2ee(handle) != 0);
  }

  public boolean hasEncryptionSecret() {
    return guard.call(this, () -> otc.otc_session_has_encryption_secret(handle) != 0);
  }

  /** The other clients currently in the session, as announced by the router. */
  public List<Connection> connections() {
    return List.copyOf(connections.values());
  }

  /**
   * Sets or rotates the encryption secret, before or after connecting. Runs the key derivation
   * (about 0.1 s) on the calling thread. {@code secret} stays owned by the caller.
   *
   * @throws OtcException with {@link ErrorCode#SESSION_INVALID_ENCRYPTION_SECRET} (the current
   *     secret stays in place)
   * @throws IllegalStateException if this session or {@code secret} is closed
   */
  public void setEncryptionSecret(EncryptionSecret secret) {
    Objects.requireNonNull(secret, "secret");
    guard.acquire();
    try {
      int status = secret.withNative((p, len) -> otc.otc_session_set_encryption_secret_bytes(handle, p, len));
      NativeStatus.check(status, "setEncryptionSecret");
    } finally {
      guard.release(this);
    }
  }

  /**
   * Same, from a {@code String} (which cannot be wiped: prefer {@code char[]} or
   * {@link EncryptionSecret}).
   */
  public void setEncryptionSecret(String secret) {
    try (EncryptionSecret s = EncryptionSecret.of(secret)) {
      setEncryptionSecret(s);
    }
  }

  /** Same, from characters; {@code secret} is not modified (the caller wipes it). */
  public void setEncryptionSecret(char[] secret) {
    try (EncryptionSecret s = EncryptionSecret.of(secret)) {
      setEncryptionSecret(s);
    }
  }

  /**
   * Publishes: the outcome arrives as {@link PublisherListener#onStreamCreated} or
   * {@link PublisherListener#onError} (for example {@link ErrorCode#SESSION_ENCRYPTION_SECRET_MISSING}).
   *
   * @throws OtcException {@link ErrorCode#SESSION_NOT_CONNECTED}, or {@link ErrorCode#ERR_INVALID_STATE}
   *     if the publisher is already published
   */
  public void publish(Publisher publisher) {
    Objects.requireNonNull(publisher, "publisher");
    guard.acquire();
    try {
      publisher.guard().acquire();
      try {
        // Attached before the native call: the first event may arrive before it returns.
        Publisher.Attachment previous = publisher.attach(this, newDispatcher("Publisher[" + publisher.name() + "]"));
        int status = otc.otc_session_publish(handle, publisher.handle());
        if (status != otc.OTC_SUCCESS) {
          publisher.restore(previous);
          throw OtcException.of(status, "publish");
        }
        published.add(publisher);
      } finally {
        publisher.guard().release(publisher);
      }
    } finally {
      guard.release(this);
    }
  }

  /** Ends the publisher's stream ({@link PublisherListener#onStreamDestroyed} follows); the publisher stays usable. */
  public void unpublish(Publisher publisher) {
    Objects.requireNonNull(publisher, "publisher");
    guard.acquire();
    try {
      publisher.guard().acquire();
      try {
        NativeStatus.check(otc.otc_session_unpublish(handle, publisher.handle()), "unpublish");
        published.remove(publisher);
      } finally {
        publisher.guard().release(publisher);
      }
    } finally {
      guard.release(this);
    }
  }

  /**
   * Subscribes to {@code stream}: the outcome arrives as {@link SubscriberListener#onConnected}
   * or {@link SubscriberListener#onError} (for example
   * {@link ErrorCode#SUBSCRIBER_ENCRYPTION_SECRET_MISSING}). The subscriber's events use this
   * session's executor. A session holds at most one subscriber per stream.
   *
   * @throws OtcException {@link ErrorCode#SESSION_NOT_CONNECTED}; {@link ErrorCode#ERR_INVALID_STATE}
   *     if this session already subscribes to the stream
   */
  public Subscriber subscribe(Stream stream, SubscriberListener listener) {
    return subscribe(stream, listener, null);
  }

  /**
   * As {@link #subscribe(Stream, SubscriberListener)}, and the SDK decodes the stream's video and
   * hands each picture to {@code renderer} (see {@link VideoRenderer} for its thread and the
   * frame's lifetime). A null renderer: video is not decoded.
   */
  public Subscriber subscribe(Stream stream, SubscriberListener listener, VideoRenderer renderer) {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(listener, "listener");
    guard.acquire();
    try {
      Subscriber subscriber = Subscriber.create(this, stream, listener,
          newDispatcher("Subscriber[" + stream.id() + "]"), maxQueuedFrames, maxQueuedBytes, renderer);
      subscribers.add(subscriber);
      boolean ok = false;
      try {
        NativeStatus.check(otc.otc_session_subscribe(handle, subscriber.handle()), "subscribe");
        ok = true;
      } finally {
        if (!ok) {
          subscriber.close();
        }
      }
      return subscriber;
    } finally {
      guard.release(this);
    }
  }

  /** Sends a signal to everyone else in the session. Type at most 1024 bytes, data at most 8192 bytes of UTF-8. */
  public void sendSignal(String type, String data) {
    Text.checked(type, "type", 1024);
    Text.checked(data, "data", 8192);
    guard.run(this, () -> NativeStatus.check(otc.otc_session_send_signal(handle, type, data), "sendSignal"));
  }

  /** Sends a signal to one connection; refusals by the router arrive through {@link SessionListener#onError}. */
  public void sendSignal(String type, String data, Connection to) {
    Objects.requireNonNull(to, "to");
    Text.checked(type, "type", 1024);
    Text.checked(data, "data", 8192);
    guard.run(this, () -> NativeStatus.check(
        otc.otc_session_send_signal_to_connection_id(handle, type, data, to.id()), "sendSignal"));
  }

  public boolean isClosed() {
    return guard.isClosed();
  }

  /**
   * Disconnects if needed, closes this session's subscribers and releases the native session
   * (its threads stop). Idempotent; safe from inside any listener. No session event is delivered
   * after it returns, except one already running on another thread.
   */
  @Override
  public void close() {
    for (Subscriber s : new ArrayList<>(subscribers)) {
      s.close();
    }
    guard.close();
  }

  @Override
  public String toString() {
    return "Session[" + sessionId + (guard.isClosed() ? ", closed" : "") + "]";
  }

  private Connection connection(String id) {
    Connection c = connections.get(id);
    return c != null ? c : new Connection(id, "");
  }

  private final class Events implements SessionCallbacks.Sink {
    @Override
    public void connected() {
      dispatch(() -> listener.onConnected(Session.this));
    }

    @Override
    public void disconnected() {
      connections.clear();
      dispatch(() -> listener.onDisconnected(Session.this));
    }

    @Override
    public void reconnectionStarted() {
      dispatch(() -> listener.onReconnectionStarted(Session.this));
    }

    @Override
    public void reconnected() {
      dispatch(() -> listener.onReconnected(Session.this));
    }

    @Override
    public void connectionCreated(String connectionId, String connectionData) {
      Connection c = new Connection(connectionId, connectionData);
      connections.put(connectionId, c);
      dispatch(() -> listener.onConnectionCreated(Session.this, c));
    }

    @Override
    public void connectionDropped(String connectionId, int reason) {
      Connection removed = connections.remove(connectionId);
      Connection c = removed != null ? removed : new Connection(connectionId, "");
      Connection.DropReason r = Connection.DropReason.fromCode(reason);
      dispatch(() -> listener.onConnectionDropped(Session.this, c, r));
    }

    @Override
    public void streamReceived(otc_stream stream) {
      Stream s = Stream.copyOf(stream);
      dispatch(() -> listener.onStreamReceived(Session.this, s));
    }

    @Override
    public void streamDropped(otc_stream stream, int reason) {
      Stream s = Stream.copyOf(stream);
      Stream.DropReason r = Stream.DropReason.fromCode(reason);
      dispatch(() -> listener.onStreamDropped(Session.this, s, r));
    }

    @Override
    public void signalReceived(String type, String data, String fromConnectionId) {
      Connection from = connection(fromConnectionId);
      dispatch(() -> listener.onSignalReceived(Session.this, type, data, from));
    }

    @Override
    public void error(String message, int code) {
      OtcException error = callbackError(code, message);
      dispatch(() -> listener.onError(Session.this, error));
    }

    private void dispatch(Runnable event) {
      dispatcher.dispatch(() -> {
        if (!guard.isClosed()) {
          event.run();
        }
      });
    }
  }

  /** Configures a {@link Session}; not thread-safe. */
  public static final class Builder {
    private String applicationId;
    private String sessionId;
    private String routerUrl;
    private EncryptionSecret secret;
    private boolean ownsSecret;
    private Duration gracePeriod;
    private Duration connectTimeout;
    private Duration reconnectTimeout;
    private String tlsCaPem;
    private Path tlsCaFile;
    private Boolean tlsVerifyHostname;
    private String clientName;
    private boolean requireE2ee;
    private Executor executor;
    private SessionListener listener = new SessionListener() {};
    private int maxQueuedFrames = 1024;
    private long maxQueuedBytes = 64L * 1024 * 1024;

    private Builder() {}

    /** The application (informational). */
    public Builder applicationId(String applicationId) {
      this.applicationId = Text.checked(applicationId, "applicationId", 1024);
      return this;
    }

    /** Required: the router's session id; it also salts the key derivation. */
    public Builder sessionId(String sessionId) {
      SessionIds.toUtf8(Objects.requireNonNull(sessionId, "sessionId"));
      this.sessionId = sessionId;
      return this;
    }

    /** Required: the router's media URL, {@code tcp://HOST:PORT} or {@code tls://HOST:PORT}. */
    public Builder routerUrl(String routerUrl) {
      this.routerUrl = Text.checked(routerUrl, "routerUrl", 4096);
      return this;
    }

    /** A secret to install in {@link #build()}; stays owned by the caller. */
    public Builder encryptionSecret(EncryptionSecret secret) {
      replaceSecret(Objects.requireNonNull(secret, "secret"), false);
      return this;
    }

    /**
     * A secret to install in {@link #build()}, validated now.
     *
     * @throws OtcException with {@link ErrorCode#SESSION_INVALID_ENCRYPTION_SECRET}
     */
    public Builder encryptionSecret(String secret) {
      replaceSecret(EncryptionSecret.of(secret), true);
      return this;
    }

    /**
     * A secret to install in {@link #build()}, copied and validated now; {@code secret} is not
     * modified (the caller wipes it). The builder's copy is wiped by {@link #build()}.
     *
     * @throws OtcException with {@link ErrorCode#SESSION_INVALID_ENCRYPTION_SECRET}
     */
    public Builder encryptionSecret(char[] secret) {
      replaceSecret(EncryptionSecret.of(secret), true);
      return this;
    }

    private void replaceSecret(EncryptionSecret s, boolean owned) {
      if (ownsSecret && secret != null) {
        secret.close();
      }
      secret = s;
      ownsSecret = owned;
    }

    /** How long previous secrets keep decrypting after a change; default 5 s, at most 10 minutes. */
    public Builder gracePeriod(Duration gracePeriod) {
      this.gracePeriod = checkMillis(gracePeriod, "gracePeriod", 0);
      return this;
    }

    /** Time allowed for connect, handshake and token check; default 10 s, 1 ms to 10 minutes. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = checkMillis(connectTimeout, "connectTimeout", 1);
      return this;
    }

    /**
     * How long the session tries to reconnect after losing an established connection
     * ({@link SessionListener#onReconnectionStarted}); default 30 s, at most 10 minutes;
     * {@link Duration#ZERO} disables reconnection. While enabled, the native session keeps the
     * token in memory as long as it is connected (every reconnection presents it again).
     */
    public Builder reconnectTimeout(Duration reconnectTimeout) {
      this.reconnectTimeout = checkMillis(reconnectTimeout, "reconnectTimeout", 0);
      return this;
    }

    /** PEM text of the CA certificates to trust for {@code tls://} URLs, instead of the system store. */
    public Builder tlsTrustedCertificatesPem(String pem) {
      this.tlsCaPem = Text.checked(pem, "pem", Integer.MAX_VALUE);
      return this;
    }

    /** PEM file of the CA certificates to trust for {@code tls://} URLs, instead of the system store. */
    public Builder tlsTrustedCertificatesFile(Path pemFile) {
      this.tlsCaFile = Objects.requireNonNull(pemFile, "pemFile");
      return this;
    }

    /** Whether the router's certificate must match the URL's host name; default true. */
    public Builder tlsVerifyHostname(boolean verify) {
      this.tlsVerifyHostname = verify;
      return this;
    }

    /**
     * Require end-to-end encryption (default false). With it, or as soon as the session holds an
     * encryption secret, a router that reports the session or a stream as not E2EE is treated as
     * hostile: the connection ends with {@link ErrorCode#SESSION_E2EE_DOWNGRADE} through
     * {@link SessionListener#onError}, and no media is sent or delivered in clear.
     */
    public Builder requireE2ee(boolean requireE2ee) {
      this.requireE2ee = requireE2ee;
      return this;
    }

    /** Name sent to the router for diagnostics. */
    public Builder clientName(String clientName) {
      this.clientName = Text.checked(clientName, "clientName", 1024);
      return this;
    }

    /**
     * Where listener events run. Default: directly on the session's SDK callback thread. With an
     * executor, frames are copied before being handed over, and each object's events still run
     * one at a time in order. The session does not shut the executor down.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public Builder listener(SessionListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * With an {@link #executor(Executor)}: how many frames per subscriber may wait for the
     * listener before further frames are dropped (and counted). Default 1024.
     */
    public Builder maxQueuedFrames(int maxQueuedFrames) {
      if (maxQueuedFrames < 1) {
        throw new IllegalArgumentException("maxQueuedFrames must be at least 1");
      }
      this.maxQueuedFrames = maxQueuedFrames;
      return this;
    }

    /**
     * With an {@link #executor(Executor)}: how many bytes of frame copies per subscriber may wait
     * for the listener before further frames are dropped (and counted). Default 64 MiB.
     */
    public Builder maxQueuedBytes(long maxQueuedBytes) {
      if (maxQueuedBytes < 1) {
        throw new IllegalArgumentException("maxQueuedBytes must be at least 1");
      }
      this.maxQueuedBytes = maxQueuedBytes;
      return this;
    }

    private static Duration checkMillis(Duration d, String what, long minMs) {
      Objects.requireNonNull(d, what);
      if (d.toMillis() < minMs || d.compareTo(Duration.ofMinutes(10)) > 0 || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be between " + minMs + " ms and 10 minutes, was " + d);
      }
      return d;
    }

    /**
     * Creates the session (not connected). A secret given to the builder is installed here
     * (key derivation on this thread) and the builder's own copy is wiped.
     *
     * @throws IllegalStateException if the session id or router URL is missing
     * @throws OtcException if the native library refuses the configuration
     */
    public Session build() {
      if (sessionId == null) {
        throw new IllegalStateException("sessionId is required");
      }
      if (routerUrl == null) {
        throw new IllegalStateException("routerUrl is required");
      }
      NativeLibrary.ensureLoaded();
      otc_session_settings settings = otc.otc_session_settings_new();
      if (settings == null || settings.isNull()) {
        throw new OtcException(ErrorCode.ERR_NO_MEMORY, "the native library could not create session settings");
      }
      Registration<otc_session_callbacks> reg = null;
      Session session = null;
      try {
        check(otc.otc_session_settings_set_router_url(settings, routerUrl), "router URL");
        if (connectTimeout != null) {
          check(otc.otc_session_settings_set_connect_timeout_ms(settings, (int) connectTimeout.toMillis()),
              "connect timeout");
        }
        if (reconnectTimeout != null) {
          check(otc.otc_session_settings_set_reconnect_timeout_ms(settings, (int) reconnectTimeout.toMillis()),
              "reconnect timeout");
        }
        if (gracePeriod != null) {
          check(otc.otc_session_settings_set_encryption_grace_period_ms(settings, (int) gracePeriod.toMillis()),
              "grace period");
        }
        if (tlsCaPem != null) {
          check(otc.otc_session_settings_set_tls_ca_pem(settings, tlsCaPem), "TLS trust");
        }
        if (tlsCaFile != null) {
          check(otc.otc_session_settings_set_tls_ca_file(settings, tlsCaFile.toString()), "TLS trust file");
        }
        if (tlsVerifyHostname != null) {
          check(otc.otc_session_settings_set_tls_verify_hostname(settings, tlsVerifyHostname ? 1 : 0),
              "TLS host name check");
        }
        if (clientName != null) {
          check(otc.otc_session_settings_set_client_name(settings, clientName), "client name");
        }
        if (requireE2ee) {
          check(otc.otc_session_settings_set_e2ee_required(settings, 1), "E2EE requirement");
        }
        reg = SessionCallbacks.reserve();
        int[] status = {otc.OTC_SUCCESS};
        otc_session handle;
        // The id salts the key derivation: its exact, validated UTF-8 bytes go to C.
        try (BytePointer sid = SecretBytes.copyOfNulTerminated(SessionIds.toUtf8(sessionId));
            BytePointer app = applicationId == null ? null : NativeText.utf8(applicationId)) {
          handle = otc.otc_session_new_checked(app, sid, reg.callbacks, settings, status);
        }
        if (handle == null || handle.isNull()) {
          throw OtcException.of(status[0] != otc.OTC_SUCCESS ? status[0] : ErrorCode.ERR_INVALID_PARAM.code(),
              "session");
        }
        // No callback comes before otc_session_connect, so binding after creation loses nothing.
        session = new Session(this, handle, reg.id);
        SessionCallbacks.SINKS.bind(reg.id, session.events);
        if (secret != null) {
          session.setEncryptionSecret(secret);
        }
        return session;
      } catch (RuntimeException e) {
        if (session != null) {
          session.close();
        }
        throw e;
      } finally {
        if (reg != null) {
          reg.close();
        }
        otc.otc_session_settings_delete(settings);
        if (ownsSecret && secret != null) {
          secret.close();
          secret = null;
        }
      }
    }

    private static void check(int status, String what) {
      NativeStatus.check(status, "session " + what);
    }
  }
}
