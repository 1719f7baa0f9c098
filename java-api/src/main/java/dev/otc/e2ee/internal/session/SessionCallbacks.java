package dev.otc.e2ee.internal.session;

import static dev.otc.e2ee.internal.session.CallbackRegistry.present;

import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.bindings.otc.otc_connection;
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
 * <p>Every entry point is a single {@link CallbackRegistry#dispatch}, which catches
 * {@link Throwable}: anything escaping into JavaCPP's generated code becomes a C++ exception on
 * the SDK thread and aborts the JVM.
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

    void reconnectionStarted();

    void reconnected();
  }

  /**
   * Bind a sink to its {@link #reserve reserved} id once the native session exists; unregister it
   * once native code can no longer call. The registry also keeps the sink strongly reachable.
   */
  public static final CallbackRegistry<Sink> SINKS = new CallbackRegistry<>();

  static {
    NativeLibrary.ensureLoaded();
  }

  // Static and final: native code holds callbacks only weakly, and JavaCPP allows ten per class.
  private static final otc_session_callbacks.On_connected_otc_session_Pointer ON_CONNECTED =
      new otc_session_callbacks.On_connected_otc_session_Pointer() {
        @Override
        public void call(otc_session session, Pointer userData) {
          SINKS.dispatch(userData, "on_connected", Sink::connected);
        }
      };

  private static final otc_session_callbacks.On_disconnected_otc_session_Pointer ON_DISCONNECTED =
      new otc_session_callbacks.On_disconnected_otc_session_Pointer() {
        @Override
        public void call(otc_session session, Pointer userData) {
          SINKS.dispatch(userData, "on_disconnected", Sink::disconnected);
        }
      };

  private static final otc_session_callbacks.On_connection_created_otc_session_Pointer_otc_connection
      ON_CONNECTION_CREATED =
          new otc_session_callbacks.On_connection_created_otc_session_Pointer_otc_connection() {
            @Override
            public void call(otc_session session, Pointer userData, otc_connection connection) {
              SINKS.dispatch(userData, "on_connection_created", sink -> {
                if (present(connection)) {
                  sink.connectionCreated(NativeText.read(otc.otc_connection_get_id(connection)),
                      NativeText.read(otc.otc_connection_get_data(connection)));
                }
              });
            }
          };

  private static final otc_session_callbacks.On_connection_dropped_otc_session_Pointer_otc_connection
      ON_CONNECTION_DROPPED =
          new otc_session_callbacks.On_connection_dropped_otc_session_Pointer_otc_connection() {
            @Override
            public void call(otc_session session, Pointer userData, otc_connection connection) {
              SINKS.dispatch(userData, "on_connection_dropped", sink -> {
                if (present(connection)) {
                  sink.connectionDropped(NativeText.read(otc.otc_connection_get_id(connection)),
                      otc.otc_connection_get_drop_reason(connection));
                }
              });
            }
          };

  private static final otc_session_callbacks.On_stream_received_otc_session_Pointer_otc_stream ON_STREAM_RECEIVED =
      new otc_session_callbacks.On_stream_received_otc_session_Pointer_otc_stream() {
        @Override
        public void call(otc_session session, Pointer userData, otc_stream stream) {
          SINKS.dispatch(userData, "on_stream_received", sink -> {
            if (present(stream)) {
              sink.streamReceived(stream);
            }
          });
        }
      };

  private static final otc_session_callbacks.On_stream_dropped_otc_session_Pointer_otc_stream ON_STREAM_DROPPED =
      new otc_session_callbacks.On_stream_dropped_otc_session_Pointer_otc_stream() {
        @Override
        public void call(otc_session session, Pointer userData, otc_stream stream) {
          SINKS.dispatch(userData, "on_stream_dropped", sink -> {
            if (present(stream)) {
              sink.streamDropped(stream, otc.otc_stream_get_drop_reason(stream));
            }
          });
        }
      };

  private static final otc_session_callbacks.On_signal_received_otc_session_Pointer_BytePointer_BytePointer_otc_connection
      ON_SIGNAL_RECEIVED =
          new otc_session_callbacks.On_signal_received_otc_session_Pointer_BytePointer_BytePointer_otc_connection() {
            @Override
            public void call(otc_session session, Pointer userData, BytePointer type, BytePointer data,
                otc_connection from) {
              SINKS.dispatch(userData, "on_signal_received", sink -> sink.signalReceived(
                  NativeText.read(type), NativeText.read(data),
                  present(from) ? NativeText.read(otc.otc_connection_get_id(from)) : ""));
            }
          };

  private static final otc_session_callbacks.On_error_otc_session_Pointer_BytePointer_int ON_ERROR =
      new otc_session_callbacks.On_error_otc_session_Pointer_BytePointer_int() {
        @Override
        public void call(otc_session session, Pointer userData, BytePointer errorString, int errorCode) {
          SINKS.dispatch(userData, "on_error", sink -> sink.error(NativeText.read(errorString), errorCode));
        }
      };

  private static final otc_session_callbacks.On_reconnection_started_otc_session_Pointer ON_RECONNECTION_STARTED =
      new otc_session_callbacks.On_reconnection_started_otc_session_Pointer() {
        @Override
        public void call(otc_session session, Pointer userData) {
          SINKS.dispatch(userData, "on_reconnection_started", Sink::reconnectionStarted);
        }
      };

  private static final otc_session_callbacks.On_reconnected_otc_session_Pointer ON_RECONNECTED =
      new otc_session_callbacks.On_reconnected_otc_session_Pointer() {
        @Override
        public void call(otc_session session, Pointer userData) {
          SINKS.dispatch(userData, "on_reconnected", Sink::reconnected);
        }
      };

  private SessionCallbacks() {}

  /**
   * A new id and its filled callback struct, for {@code otc_session_new} (which copies the
   * struct: close it after that call).
   */
  public static Registration<otc_session_callbacks> reserve() {
    long id = CallbackRegistry.reserve();
    return new Registration<>(id, new otc_session_callbacks()
        .on_connected(ON_CONNECTED)
        .on_disconnected(ON_DISCONNECTED)
        .on_connection_created(ON_CONNECTION_CREATED)
        .on_connection_dropped(ON_CONNECTION_DROPPED)
        .on_stream_received(ON_STREAM_RECEIVED)
        .on_stream_dropped(ON_STREAM_DROPPED)
        .on_signal_received(ON_SIGNAL_RECEIVED)
        .on_error(ON_ERROR)
        .user_data(CallbackRegistry.userData(id))
        .reserved(null)
        .on_reconnection_started(ON_RECONNECTION_STARTED)
        .on_reconnected(ON_RECONNECTED));
  }
}
