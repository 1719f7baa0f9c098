package dev.otc.e2ee.internal.session;

import dev.otc.e2ee.bindings.otc.otc_media_frame;
import dev.otc.e2ee.bindings.otc.otc_stream;
import dev.otc.e2ee.bindings.otc.otc_subscriber;
import dev.otc.e2ee.bindings.otc.otc_subscriber_callbacks;
import dev.otc.e2ee.internal.NativeLibrary;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The native side of {@code struct otc_subscriber_callbacks}; same scheme as
 * {@link SessionCallbacks}.
 */
public final class SubscriberCallbacks {
  /** Receives one subscriber's events on the SDK callback thread; arguments are valid during the call only. */
  public interface Sink {
    void connected(otc_stream stream);

    void disconnected();

    void frame(otc_media_frame frame);

    void error(String message, int code);

    void encryptionSecretMatch();
  }

  private static final CallbackRegistry<Sink> SINKS = new CallbackRegistry<>();

  static {
    NativeLibrary.ensureLoaded();
  }

  private static final otc_subscriber_callbacks.On_connected_otc_subscriber_Pointer_otc_stream ON_CONNECTED =
      new otc_subscriber_callbacks.On_connected_otc_subscriber_Pointer_otc_stream() {
        @Override
        public void call(otc_subscriber subscriber, Pointer userData, otc_stream stream) {
          try {
            Sink sink = SINKS.lookup(userData);
            if (sink != null) {
              sink.connected(stream == null || stream.isNull() ? null : stream);
            }
          } catch (Throwable t) {
            Guard.swallow("subscriber on_connected", t);
          }
        }
      };

  private static final otc_subscriber_callbacks.On_disconnected_otc_subscriber_Pointer ON_DISCONNECTED =
      new otc_subscriber_callbacks.On_disconnected_otc_subscriber_Pointer() {
        @Override
        public void call(otc_subscriber subscriber, Pointer userData) {
          try {
            Sink sink = SINKS.lookup(userData);
            if (sink != null) {
              sink.disconnected();
            }
          } catch (Throwable t) {
            Guard.swallow("subscriber on_disconnected", t);
          }
        }
      };

  private static final otc_subscriber_callbacks.On_frame_otc_subscriber_Pointer_otc_media_frame ON_FRAME =
      new otc_subscriber_callbacks.On_frame_otc_subscriber_Pointer_otc_media_frame() {
        @Override
        public void call(otc_subscriber subscriber, Pointer userData, otc_media_frame frame) {
          try {
            Sink sink = SINKS.lookup(userData);
            if (sink != null && frame != null && !frame.isNull()) {
              sink.frame(frame);
            }
          } catch (Throwable t) {
            Guard.swallow("subscriber on_frame", t);
          }
        }
      };

  private static final otc_subscriber_callbacks.On_error_otc_subscriber_Pointer_BytePointer_int ON_ERROR =
      new otc_subscriber_callbacks.On_error_otc_subscriber_Pointer_BytePointer_int() {
        @Override
        public void call(otc_subscriber subscriber, Pointer userData, BytePointer errorString, int errorCode) {
          try {
            Sink sink = SINKS.lookup(userData);
            if (sink != null) {
              sink.error(NativeText.read(errorString), errorCode);
            }
          } catch (Throwable t) {
            Guard.swallow("subscriber on_error", t);
          }
        }
      };

  private static final otc_subscriber_callbacks.On_encryption_secret_match_otc_subscriber_Pointer ON_MATCH =
      new otc_subscriber_callbacks.On_encryption_secret_match_otc_subscriber_Pointer() {
        @Override
        public void call(otc_subscriber subscriber, Pointer userData) {
          try {
            Sink sink = SINKS.lookup(userData);
            if (sink != null) {
              sink.encryptionSecretMatch();
            }
          } catch (Throwable t) {
            Guard.swallow("subscriber on_encryption_secret_match", t);
          }
        }
      };

  private SubscriberCallbacks() {}

  /**
   * A new id and its filled callback struct, for {@code otc_subscriber_new} (which copies the
   * struct: close it after that call). Then {@link #bind} the sink; {@link #unregister} once
   * native code can no longer call.
   */
  public static Registration reserve() {
    long id = CallbackRegistry.reserve();
    otc_subscriber_callbacks cb = new otc_subscriber_callbacks();
    cb.on_connected(ON_CONNECTED)
        .on_disconnected(ON_DISCONNECTED)
        .on_frame(ON_FRAME)
        .on_error(ON_ERROR)
        .on_encryption_secret_match(ON_MATCH)
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

  public static int registered() {
    return SINKS.size();
  }

  /** An id and its callback struct; closing frees the struct only. */
  public static final class Registration implements AutoCloseable {
    public final long id;
    public final otc_subscriber_callbacks callbacks;

    Registration(long id, otc_subscriber_callbacks callbacks) {
      this.id = id;
      this.callbacks = callbacks;
    }

    @Override
    public void close() {
      callbacks.close();
    }
  }
}
