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
  /** One function of each test-only family (CTest library.exports checks every declared one). */
  private static final List<String> TEST_ONLY_SAMPLES = List.of("otc_testing_inject_fault", "otc_sframe_context_new",
      "otc_sframe_protect", "otc_sframe_unprotect", "otc_sframe_header_encode", "otc_sframe_max_overhead",
      "otc_sframe_derive_key_and_salt", "otc_aead_seal", "otc_aead_open", "otc_hkdf", "otc_hkdf_extract",
      "otc_e2ee_derive_master_key", "otc_e2ee_derive_base_key", "otc_e2ee_master_key_fingerprint");

  private static boolean isTestOnly(String name) {
    return name.matches("otc_(testing_|sframe_|aead_|hkdf|e2ee_derive_|e2ee_master_key_).*");
  }

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
    // Test hooks (fault injection) and the raw SFrame and primitive layers with caller-chosen KIDs,
    // counters and nonces (native/testing/include) exist only in the test build of libotc: neither
    // bound nor exported by the shipped library these tests load.
    assertEquals(List.of(), declared.stream().filter(ExportedSymbolsTest::isTestOnly).toList());
    for (String name : TEST_ONLY_SAMPLES) {
      assertTrue(isTestOnly(name), name);
      assertEquals(null, Loader.addressof(name), name + " is exported by the shipped libotc");
    }
    List<String> missing = declared.stream().filter(name -> Loader.addressof(name) == null).toList();
    assertEquals(List.of(), missing, "declared in native/include/otc but not exported by libotc.so");
    assertTrue(Arrays.asList(declared.toArray()).contains("otc_frame_cryptor_encrypt"));
    // The per-frame entry points of the Java API, declared through the preset's own Java text.
    assertTrue(declared.containsAll(List.of("otc_frame_cryptor_encrypt_raw", "otc_frame_cryptor_decrypt_raw")), "parsed functions: " + declared);
  }
}
