package dev.otc.e2ee.internal.session;

import static dev.otc.e2ee.internal.session.CallbackRegistry.orNull;
import static dev.otc.e2ee.internal.session.CallbackRegistry.present;

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

  /** Same contract as {@link SessionCallbacks#SINKS}. */
  public static final CallbackRegistry<Sink> SINKS = new CallbackRegistry<>();

  static {
    NativeLibrary.ensureLoaded();
  }

  private static final otc_publisher_callbacks.On_stream_created_otc_publisher_Pointer_otc_stream ON_STREAM_CREATED =
      new otc_publisher_callbacks.On_stream_created_otc_publisher_Pointer_otc_stream() {
        @Override
        public void call(otc_publisher publisher, Pointer userData, otc_stream stream) {
          SINKS.dispatch(userData, "publisher on_stream_created", sink -> {
            if (present(stream)) {
              sink.streamCreated(stream);
            }
          });
        }
      };

  private static final otc_publisher_callbacks.On_stream_destroyed_otc_publisher_Pointer_otc_stream
      ON_STREAM_DESTROYED =
          new otc_publisher_callbacks.On_stream_destroyed_otc_publisher_Pointer_otc_stream() {
            @Override
            public void call(otc_publisher publisher, Pointer userData, otc_stream stream) {
              SINKS.dispatch(userData, "publisher on_stream_destroyed", sink -> sink.streamDestroyed(orNull(stream)));
            }
          };

  private static final otc_publisher_callbacks.On_error_otc_publisher_Pointer_BytePointer_int ON_ERROR =
      new otc_publisher_callbacks.On_error_otc_publisher_Pointer_BytePointer_int() {
        @Override
        public void call(otc_publisher publisher, Pointer userData, BytePointer errorString, int errorCode) {
          SINKS.dispatch(userData, "publisher on_error", sink -> sink.error(NativeText.read(errorString), errorCode));
        }
      };

  private static final otc_publisher_callbacks.On_keyframe_requested_otc_publisher_Pointer ON_KEYFRAME_REQUESTED =
      new otc_publisher_callbacks.On_keyframe_requested_otc_publisher_Pointer() {
        @Override
        public void call(otc_publisher publisher, Pointer userData) {
          SINKS.dispatch(userData, "publisher on_keyframe_requested", Sink::keyframeRequested);
        }
      };

  private PublisherCallbacks() {}

  /**
   * A new id and its filled callback struct, for {@code otc_publisher_new_with_settings} (which copies the
   * struct: close it after that call).
   */
  public static Registration<otc_publisher_callbacks> reserve() {
    long id = CallbackRegistry.reserve();
    return new Registration<>(id, new otc_publisher_callbacks()
        .on_stream_created(ON_STREAM_CREATED)
        .on_stream_destroyed(ON_STREAM_DESTROYED)
        .on_error(ON_ERROR)
        .on_keyframe_requested(ON_KEYFRAME_REQUESTED)
        .user_data(CallbackRegistry.userData(id))
        .reserved(null));
  }
}
