package dev.otc.e2ee.internal.session;

import static dev.otc.e2ee.internal.session.CallbackRegistry.orNull;
import static dev.otc.e2ee.internal.session.CallbackRegistry.present;

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

  /** Same contract as {@link SessionCallbacks#SINKS}. */
  public static final CallbackRegistry<Sink> SINKS = new CallbackRegistry<>();

  static {
    NativeLibrary.ensureLoaded();
  }

  private static final otc_subscriber_callbacks.On_connected_otc_subscriber_Pointer_otc_stream ON_CONNECTED =
      new otc_subscriber_callbacks.On_connected_otc_subscriber_Pointer_otc_stream() {
        @Override
        public void call(otc_subscriber subscriber, Pointer userData, otc_stream stream) {
          SINKS.dispatch(userData, "subscriber on_connected", sink -> sink.connected(orNull(stream)));
        }
      };

  private static final otc_subscriber_callbacks.On_disconnected_otc_subscriber_Pointer ON_DISCONNECTED =
      new otc_subscriber_callbacks.On_disconnected_otc_subscriber_Pointer() {
        @Override
        public void call(otc_subscriber subscriber, Pointer userData) {
          SINKS.dispatch(userData, "subscriber on_disconnected", Sink::disconnected);
        }
      };

  private static final otc_subscriber_callbacks.On_frame_otc_subscriber_Pointer_otc_media_frame ON_FRAME =
      new otc_subscriber_callbacks.On_frame_otc_subscriber_Pointer_otc_media_frame() {
        @Override
        public void call(otc_subscriber subscriber, Pointer userData, otc_media_frame frame) {
          SINKS.dispatch(userData, "subscriber on_frame", sink -> {
            if (present(frame)) {
              sink.frame(frame);
            }
          });
        }
      };

  private static final otc_subscriber_callbacks.On_error_otc_subscriber_Pointer_BytePointer_int ON_ERROR =
      new otc_subscriber_callbacks.On_error_otc_subscriber_Pointer_BytePointer_int() {
        @Override
        public void call(otc_subscriber subscriber, Pointer userData, BytePointer errorString, int errorCode) {
          SINKS.dispatch(userData, "subscriber on_error", sink -> sink.error(NativeText.read(errorString), errorCode));
        }
      };

  private static final otc_subscriber_callbacks.On_encryption_secret_match_otc_subscriber_Pointer ON_MATCH =
      new otc_subscriber_callbacks.On_encryption_secret_match_otc_subscriber_Pointer() {
        @Override
        public void call(otc_subscriber subscriber, Pointer userData) {
          SINKS.dispatch(userData, "subscriber on_encryption_secret_match", Sink::encryptionSecretMatch);
        }
      };

  private SubscriberCallbacks() {}

  /**
   * A new id and its filled callback struct, for {@code otc_subscriber_new} (which copies the
   * struct: close it after that call).
   */
  public static Registration<otc_subscriber_callbacks> reserve() {
    long id = CallbackRegistry.reserve();
    return new Registration<>(id, new otc_subscriber_callbacks()
        .on_connected(ON_CONNECTED)
        .on_disconnected(ON_DISCONNECTED)
        .on_frame(ON_FRAME)
        .on_error(ON_ERROR)
        .on_encryption_secret_match(ON_MATCH)
        .user_data(CallbackRegistry.userData(id))
        .reserved(null));
  }
}
