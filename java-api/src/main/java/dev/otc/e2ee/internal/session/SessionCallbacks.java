package dev.otc.e2ee.internal.session;

import dev.otc.e2ee.bindings.otc.otc_session;
import dev.otc.e2ee.bindings.otc.otc_session_callbacks;
import dev.otc.e2ee.bindings.otc.otc_stream;
import dev.otc.e2ee.internal.NativeLibrary;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The native side of {@code struct otc_session_callbacks}: one static function pointer per
 * member for the whole process, routing each call by {@code user_data} to its {@link Sink}.
 *
 * <p>Every entry point catches {@link Throwable}: anything escaping into JavaCPP's generated code
 * becomes a C++ exception on the SDK thread and aborts the JVM.
 */
public final class SessionCallbacks {
  /** Receives one session's events on the SDK callback thread; arguments are valid during the call only. */
  public interface Sink {
    void connected();

    void disconnected();

    void connectionCreated(String connectionId, String connectionData);

    void connectionDropped(String connectionId, int reason);

    void streamReceived(otc_stream stream);

    void streamDropped(otc_stream stream, int reason);

    void signalReceived(String type, String data, String fromConnectionId);

    void error(String message, int code);
  }

  private static final CallbackRegistry<Sink> SINKS = new CallbackRegistry<>();

  static {
    NativeLibrary.ensureLoaded();
  }

  // Static and final: native code holds callbacks only weakly, and JavaCPP allows ten per class.
  private static final otc_session_callbacks.On_connected_otc_session_Pointer ON_CONNECTED =
      new otc_session_callbacks.On_connected_otc_session_Pointer() {
        @Override
        public void call(otc_session session, Pointer userData) {
          try {
            Sink sink = SINKS.lookup(userData);
            if (sink != null) {
              sink.connected();
            }
          } catch (Throwable t) {
            Guard.swallow("on_connected", t);
          }
        }
      };

  private static final otc_session_callbacks.On_disconnected_otc_session_Pointer ON_DISCONNECTED =
      new otc_session_callbacks.On_disconnected_otc_session_Pointer() {
        @Override
        public void call(otc_session session, Pointer userData) {
          try {
            Sink sink = SINKS.lookup(userData);
            if (sink != null) {
              sink.disconnected();
            }
          } catch (Throwable t) {
            Guard.swallow("on_disconnected", t);
          }
        }
      };

  private static final otc_session_callbacks.On_connection_created_otc_session_Pointer_BytePointer_BytePointer
      ON_CONNECTION_CREATED =
          new otc_session_callbacks.On_connection_created_otc_session_Pointer_BytePointer_BytePointer() {
            @Override
            public void call(otc_session session, Pointer userData, BytePointer connectionId,
                BytePointer connectionData) {
              try {
                Sink sink = SINKS.lookup(userData);
                if (sink != null) {
                  sink.connectionCreated(NativeText.read(connectionId), NativeText.read(connectionData));
                }
              } catch (Throwable t) {
                Guard.swallow("on_connection_created", t);
              }
            }
          };

  private static final otc_session_callbacks.On_connection_dropped_otc_session_Pointer_BytePointer_int
      ON_CONNECTION_DROPPED =
          new otc_session_callbacks.On_connection_dropped_otc_session_Pointer_BytePointer_int() {
            @Override
            public void call(otc_session session, Pointer userData, BytePointer connectionId, int reason) {
              try {
                Sink sink = SINKS.lookup(userData);
                if (sink != null) {
                  sink.connectionDropped(NativeText.read(connectionId), reason);
                }
              } catch (Throwable t) {
                Guard.swallow("on_connection_dropped", t);
              }
            }
          };

  private static final otc_session_callbacks.On_stream_received_otc_session_Pointer_otc_stream ON_STREAM_RECEIVED =
      new otc_session_callbacks.On_stream_received_otc_session_Pointer_otc_stream() {
        @Override
        public void call(otc_session session, Pointer userData, otc_stream stream) {
          try {
            Sink sink = SINKS.lookup(userData);
            if (sink != null && stream != null && !stream.isNull()) {
              sink.streamReceived(stream);
            }
          } catch (Throwable t) {
            Guard.swallow("on_stream_received", t);
          }
        }
      };

  private static final otc_session_callbacks.On_stream_dropped_otc_session_Pointer_otc_stream_int ON_STREAM_DROPPED =
      new otc_session_callbacks.On_stream_dropped_otc_session_Pointer_otc_stream_int() {
        @Override
        public void call(otc_session session, Pointer userData, otc_stream stream, int reason) {
          try {
            Sink sink = SINKS.lookup(userData);
            if (sink != null && stream != null && !stream.isNull()) {
              sink.streamDropped(stream, reason);
            }
          } catch (Throwable t) {
            Guard.swallow("on_stream_dropped", t);
          }
        }
      };

  private static final otc_session_callbacks.On_signal_received_otc_session_Pointer_BytePointer_BytePointer_BytePointer
      ON_SIGNAL_RECEIVED =
          new otc_session_callbacks.On_signal_received_otc_session_Pointer_BytePointer_BytePointer_BytePointer() {
            @Override
            public void call(otc_session session, Pointer userData, BytePointer type, BytePointer data,
                BytePointer fromConnectionId) {
              try {
                Sink sink = SINKS.lookup(userData);
                if (sink != null) {
                  sink.signalReceived(NativeText.read(type), NativeText.read(data), NativeText.read(fromConnectionId));
                }
              } catch (Throwable t) {
                Guard.swallow("on_signal_received", t);
              }
            }
          };

  private static final otc_session_callbacks.On_error_otc_session_Pointer_BytePointer_int ON_ERROR =
      new otc_session_callbacks.On_error_otc_session_Pointer_BytePointer_int() {
        @Override
        public void call(otc_session session, Pointer userData, BytePointer errorString, int errorCode) {
          try {
            Sink sink = SINKS.lookup(userData);
            if (sink != null) {
              sink.error(NativeText.read(errorString), errorCode);
            }
          } catch (Throwable t) {
            Guard.swallow("on_error", t);
          }
        }
      };

  private SessionCallbacks() {}

  /**
   * A new id and its filled callback struct, for {@code otc_session_new} (which copies the
   * struct: close it after that call). Then {@link #bind} the sink; {@link #unregister} once
   * native code can no longer call.
   */
  public static Registration reserve() {
    long id = CallbackRegistry.reserve();
    otc_session_callbacks cb = new otc_session_callbacks();
    cb.on_connected(ON_CONNECTED)
        .on_disconnected(ON_DISCONNECTED)
        .on_connection_created(ON_CONNECTION_CREATED)
        .on_connection_dropped(ON_CONNECTION_DROPPED)
        .on_stream_received(ON_STREAM_RECEIVED)
        .on_stream_dropped(ON_STREAM_DROPPED)
        .on_signal_received(ON_SIGNAL_RECEIVED)
        .on_error(ON_ERROR)
        .user_data(CallbackRegistry.userData(id))
        .reserved(null);
    return new Registration(id, cb);
  }

  /** Routes the calls of {@code id} to {@code sink} from now on. */
  public static void bind(long id, Sink sink) {
    SINKS.bind(id, sink);
  }

  public static void unregister(long id) {
    SINKS.unregister(id);
  }

  /** Live registrations (for leak checks in tests). */
  public static int registered() {
    return SINKS.size();
  }

  /** An id and its callback struct; closing frees the struct only. */
  public static final class Registration implements AutoCloseable {
    public final long id;
    public final otc_session_callbacks callbacks;

    Registration(long id, otc_session_callbacks callbacks) {
      this.id = id;
      this.callbacks = callbacks;
    }

    @Override
    public void close() {
      callbacks.close();
    }
  }
}
