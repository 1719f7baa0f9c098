package dev.otc.e2ee.bindings.presets;

import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.bytedeco.javacpp.tools.Info;
import org.bytedeco.javacpp.tools.InfoMap;
import org.bytedeco.javacpp.tools.InfoMapper;

/**
 * JavaCPP preset of the otc C API: the parser generates {@code dev.otc.e2ee.bindings.otc} (one
 * class per C struct) and {@code dev.otc.e2ee.bindings.global.otc} (functions, enum constants,
 * macros) from the headers listed below, at build time.
 *
 * <p>The include list is the one place to extend when a public header is added: headers in the
 * dependency order of {@code otc.h}, {@code config.h} excluded (its macros are mapped below, and
 * parsing its platform branches would only produce noise). {@code PresetCoversHeadersTest} fails
 * the build when a header in {@code native/include/otc} is missing here.
 */
@Properties(
    target = "dev.otc.e2ee.bindings.otc",
    global = "dev.otc.e2ee.bindings.global.otc",
    value = {@Platform(
        include = {
            "otc/errors.h",
            "otc/base.h",
            "otc/capabilities.h",
            "otc/secret.h",
            "otc/cipher_suite.h",
            "otc/frame_cryptor.h",
            "otc/media.h",
            "otc/video_frame.h",
            "otc/video_capturer.h",
            "otc/audio_device.h",
            "otc/connection.h",
            "otc/stream.h",
            "otc/publisher.h",
            "otc/subscriber.h",
            "otc/session.h",
        },
        // The default charset of the JVM can be US-ASCII: String arguments (session ids) and
        // returned C strings must be converted as UTF-8, which the C API specifies.
        define = "STRING_BYTES_CHARSET \"UTF-8\""),
        // libotc.so.0 / libotc.0.dylib (the SONAME, native/CMakeLists.txt): JavaCPP links -lotc
        // and ships and loads the library under its versioned name. Windows has none: otc.dll.
        @Platform(value = {"linux", "macosx"}, link = "otc@.0"),
        @Platform(value = "windows", link = "otc")})
public class otc implements InfoMapper {
  private static String rawFrameCall(String name) {
    return "@NoException public static native @Cast(\"int64_t\") long " + name + "(@Cast(\"otc_frame_cryptor*\") long cryptor,"
        + " @Cast(\"const uint8_t*\") long metadata, @Cast(\"size_t\") long metadata_len,"
        + " @Cast(\"const uint8_t*\") long in, @Cast(\"size_t\") long in_len,"
        + " @Cast(\"uint8_t*\") long out, @Cast(\"size_t\") long out_capacity);\n";
  }

  /**
   * A raw-frame entry point: every pointer argument and a pointer result as a Java long (a native
   * address), so the Java media layer (dev.otc.e2ee.media) reads and hands over frames without
   * allocating a wrapper object per frame. {@code sig} is "ret name(args)" with args in Java form.
   */
  private static String raw(String sig) {
    return "@NoException public static native " + sig + ";\n";
  }

  private static final String FRAME = "@Cast(\"const otc_video_frame*\") long frame";

  @Override
  public void map(InfoMap infoMap) {
    // Per-frame media calls (video_frame.h, video_capturer.h) with addresses only: see raw().
    infoMap
        .put(new Info("otc_video_frame_new_from_planes").javaText(raw(
            "@Cast(\"otc_video_frame*\") long otc_video_frame_new_from_planes(@Cast(\"otc_video_frame_format\") int format, int width, int height,"
                + " @Cast(\"const uint8_t**\") long planes, @Cast(\"const int*\") long strides)")))
        .put(new Info("otc_video_frame_delete").javaText(raw(
            "int otc_video_frame_delete(@Cast(\"otc_video_frame*\") long frame)")))
        .put(new Info("otc_video_frame_copy").javaText(raw(
            "@Cast(\"otc_video_frame*\") long otc_video_frame_copy(" + FRAME + ")")))
        .put(new Info("otc_video_frame_convert").javaText(raw(
            "@Cast(\"otc_video_frame*\") long otc_video_frame_convert(@Cast(\"otc_video_frame_format\") int format, "
                + FRAME + ")")))
        .put(new Info("otc_video_frame_get_format").javaText(raw("int otc_video_frame_get_format(" + FRAME + ")")))
        .put(new Info("otc_video_frame_get_width").javaText(raw("int otc_video_frame_get_width(" + FRAME + ")")))
        .put(new Info("otc_video_frame_get_height").javaText(raw("int otc_video_frame_get_height(" + FRAME + ")")))
        .put(new Info("otc_video_frame_get_timestamp").javaText(raw(
            "@Cast(\"int64_t\") long otc_video_frame_get_timestamp(" + FRAME + ")")))
        .put(new Info("otc_video_frame_set_timestamp").javaText(raw(
            "void otc_video_frame_set_timestamp(@Cast(\"otc_video_frame*\") long frame, @Cast(\"int64_t\") long timestamp)")))
        .put(new Info("otc_video_frame_get_plane_binary_data").javaText(raw(
            "@Cast(\"const uint8_t*\") long otc_video_frame_get_plane_binary_data(" + FRAME
                + ", @Cast(\"otc_video_frame_plane\") int plane)")))
        .put(new Info("otc_video_frame_get_plane_size").javaText(raw(
            "@Cast(\"size_t\") long otc_video_frame_get_plane_size(" + FRAME + ", @Cast(\"otc_video_frame_plane\") int plane)")))
        .put(new Info("otc_video_frame_get_plane_stride").javaText(raw(
            "int otc_video_frame_get_plane_stride(" + FRAME + ", @Cast(\"otc_video_frame_plane\") int plane)")))
        .put(new Info("otc_audio_device_write_capture_data").javaText(raw(
            "int otc_audio_device_write_capture_data(@Cast(\"const int16_t*\") long buffer, @Cast(\"size_t\") long number_of_samples)")))
        .put(new Info("otc_audio_device_read_render_data").javaText(raw(
            "@Cast(\"size_t\") long otc_audio_device_read_render_data(@Cast(\"int16_t*\") long buffer, @Cast(\"size_t\") long number_of_samples)")))
        .put(new Info("otc_video_capturer_provide_frame").javaText(raw(
            "int otc_video_capturer_provide_frame(@Cast(\"const otc_video_capturer*\") long capturer, int rotation, "
                + FRAME + ")")));

    infoMap
        // Export and extern "C" wrappers carry no meaning for Java.
        .put(new Info("OTC_API", "OTC_MUST_USE").cppTypes().annotations())
        .put(new Info("OTC_BEGIN_DECLS", "OTC_END_DECLS").cppTypes().annotations())
        // config.h is not parsed: otc_bool is a plain int in the ABI.
        .put(new Info("otc_bool").cast().valueTypes("int").pointerTypes("IntPointer", "IntBuffer", "int[]"))
        // The per-frame entry points take every pointer as a Java long (a native address), so the
        // generated JNI function reads no object field and no buffer: the Java API resolves the
        // addresses, which it caches per thread. @NoException: the C functions catch everything
        // themselves (c_api_guard), so the try/catch JavaCPP would wrap around them is dropped.
        .put(new Info("otc_frame_cryptor_encrypt_raw").javaText(rawFrameCall("otc_frame_cryptor_encrypt_raw")))
        .put(new Info("otc_frame_cryptor_decrypt_raw").javaText(rawFrameCall("otc_frame_cryptor_decrypt_raw")))
        // Initializers of the size-prefixed structs are for C; Java sets struct_size itself.
        .put(new Info("OTC_FRAME_CRYPTOR_STATS_INIT", "OTC_PUBLISHER_STATS_INIT", "OTC_SUBSCRIBER_STATS_INIT").skip())
        // Include guards are not API.
        .put(new Info("OTC_CONFIG_H", "OTC_ERRORS_H", "OTC_CAPABILITIES_H", "OTC_SECRET_H", "OTC_CIPHER_SUITE_H",
                "OTC_FRAME_CRYPTOR_H", "OTC_OTC_H", "OTC_SESSION_H", "OTC_PUBLISHER_H",
                "OTC_SUBSCRIBER_H", "OTC_STREAM_H", "OTC_MEDIA_H", "OTC_VIDEO_FRAME_H", "OTC_VIDEO_CAPTURER_H",
                "OTC_AUDIO_DEVICE_H", "OTC_BASE_H", "OTC_CONNECTION_H").skip());
  }
}
