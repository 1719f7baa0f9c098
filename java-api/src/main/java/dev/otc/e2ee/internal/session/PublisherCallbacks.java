package dev.otc.e2ee.internal.session;

import dev.otc.e2ee.bindings.otc.otc_publisher;
import dev.otc.e2ee.bindings.otc.otc_publisher_callbacks;
import dev.otc.e2ee.bindings.otc.otc_stream;
import dev.otc.e2ee.internal.NativeLibrary;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The native side of {@code struct otc_publisher_callbacks}; same scheme as
 * {@link SessionCallbacks}: static function pointers, routing by {@code user_data}, every entry
 * point catching {@link Throwable}.
 */
public final class PublisherCallbacks {
  /** Receives one publisher's events on the SDK callback thread; arguments are valid during the call only. */
  public interface Sink {
    void streamCreated(otc_stream stream);

    void streamDestroyed(otc_stream stream);

    void error(String message, int code);

    void keyframeRequested();
  }

  private static final CallbackRegistry<Sink> SINKS = new CallbackRegistry<>();

  static {
    NativeLibrary.ensureLoaded();
  }

  private static final otc_publisher_callbacks.On_stream_created_otc_publisher_Pointer_otc_stream ON_STREAM_CREATED =
      new otc_publisher_callbacks.On_stream_created_otc_publisher_Pointer_otc_stream() {
        @Override
        public void call(otc_publisher publisher, Pointer userData, otc_stream stream) {
          try {
            Sink sink = SINKS.lookup(userData);
            if (sink != null && stream != null && !stream.isNull()) {
              sink.streamCreated(stream);
            }
          } catch (Throwable t) {
            Guard.swallow("publisher on_stream_created", t);
          }
        }
      };

  private static final otc_publisher_callbacks.On_stream_destroyed_otc_publisher_Pointer_otc_stream
      ON_STREAM_DESTROYED =
          new otc_publisher_callbacks.On_stream_destroyed_otc_publisher_Pointer_otc_stream() {
            @Override
            public void call(otc_publisher publisher, Pointer userData, otc_stream stream) {
              try {
                Sink sink = SINKS.lookup(userData);
                if (sink != null) {
                  sink.streamDestroyed(stream == null || stream.isNull() ? null : stream);
                }
              } catch (Throwable t) {
                Guard.swallow("publisher on_stream_destroyed", t);
              }
            }
          };

  private static final otc_publisher_callbacks.On_error_otc_publisher_Pointer_BytePointer_int ON_ERROR =
      new otc_publisher_callbacks.On_error_otc_publisher_Pointer_BytePointer_int() {
        @Override
        public void call(otc_publisher publisher, Pointer userData, BytePointer errorString, int errorCode) {
          try {
            Sink sink = SINKS.lookup(userData);
            if (sink != null) {
              sink.error(NativeText.read(errorString), errorCode);
            }
          } catch (Throwable t) {
            Guard.swallow("publisher on_error", t);
          }
        }
      };

  private static final otc_publisher_callbacks.On_keyframe_requested_otc_publisher_Pointer ON_KEYFRAME_REQUESTED =
      new otc_publisher_callbacks.On_keyframe_requested_otc_publisher_Pointer() {
        @Override
        public void call(otc_publisher publisher, Pointer userData) {
          try {
            Sink sink = SINKS.lookup(userData);
            if (sink != null) {
              sink.keyframeRequested();
            }
          } catch (Throwable t) {
            Guard.swallow("publisher on_keyframe_requested", t);
          }
        }
      };

  private PublisherCallbacks() {}

  /**
   * A new id and its filled callback struct, for {@code otc_publisher_new} (which copies the
   * struct: close it after that call). Then {@link #bind} the sink; {@link #unregister} once
   * native code can no longer call.
   */
  public static Registration reserve() {
    long id = CallbackRegistry.reserve();
    otc_publisher_callbacks cb = new otc_publisher_callbacks();
    cb.on_stream_created(ON_STREAM_CREATED)
        .on_stream_destroyed(ON_STREAM_DESTROYED)
        .on_error(ON_ERROR)
        .on_keyframe_requested(ON_KEYFRAME_REQUESTED)
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
    public final otc_publisher_callbacks callbacks;

    Registration(long id, otc_publisher_callbacks callbacks) {
      this.id = id;
      this.callbacks = callbacks;
    }

    @Override
    public void close() {
      callbacks.close();
    }
  }
}
