package dev.otc.e2ee.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.otc.e2ee.bindings.global.otc;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

/**
 * The JNI library links with undefined symbols allowed, and the dynamic loader resolves functions
 * lazily: a function declared in a header but missing from libotc.so would only surface at its
 * first call, as a "symbol lookup error" that kills the JVM. Every declared function must be
 * exported by the library that was loaded.
 */
class ExportedSymbolsTest {
  @Test
  void everyDeclaredFunctionIsExportedByLibotc() {
    Loader.load(otc.class);
    TreeSet<String> declared = new TreeSet<>();
    for (Method m : otc.class.getDeclaredMethods()) {
      if (Modifier.isNative(m.getModifiers()) && Modifier.isStatic(m.getModifiers()) && m.getName().startsWith("otc_")) {
        declared.add(m.getName());
      }
    }
    assertTrue(declared.size() > 30, "parsed functions: " + declared);
    // Test hooks (fault injection) exist only in the test build of libotc, never in the bindings.
    assertEquals(List.of(), declared.stream().filter(name -> name.startsWith("otc_testing_")).toList());
    List<String> missing = declared.stream().filter(name -> Loader.addressof(name) == null).toList();
    assertEquals(List.of(), missing, "declared in native/include/otc but not exported by libotc.so");
    assertTrue(Arrays.asList(declared.toArray()).contains("otc_frame_cryptor_encrypt"));
    // The per-frame entry points of the Java API, declared through the preset's own Java text.
    assertTrue(declared.containsAll(List.of("otc_frame_cryptor_encrypt_raw", "otc_frame_cryptor_decrypt_raw")), "parsed functions: " + declared);
  }
}
