package dev.otc.e2ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What ships has nothing test-only: the raw SFrame layer with caller-chosen KIDs, counters and
 * nonces (native/testing/include/otc/testing/sframe.h, primitives.h) and its Java wrappers
 * (dev.otc.e2ee.sframe, test sources) exist only in the test build. The tests themselves use that
 * build, so these checks look at the main classes and at the shipped libotc.so.0 directly.
 */
class ShippedSurfaceTest {
  /** One function of each test-only family; CTest library.exports checks every declared one. */
  private static final List<String> TEST_ONLY = List.of("otc_sframe_context_new", "otc_sframe_protect",
      "otc_sframe_unprotect", "otc_sframe_header_encode", "otc_sframe_max_overhead", "otc_sframe_derive_key_and_salt",
      "otc_aead_seal", "otc_aead_open", "otc_hkdf", "otc_hkdf_extract", "otc_e2ee_derive_master_key",
      "otc_e2ee_derive_base_key", "otc_e2ee_master_key_fingerprint", "otc_testing_inject_fault");

  private static Path mainClasses() throws URISyntaxException {
    return Path.of(FrameCryptor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void theMainClassesHaveNoSframePackageAndExportOnlyTheApi() throws Exception {
    Path classes = mainClasses();
    assertThat(classes.resolve("dev/otc/e2ee/FrameCryptor.class")).as("main classes at %s", classes).isRegularFile();
    assertThat(classes.resolve("dev/otc/e2ee/sframe")).doesNotExist();
    try (Stream<Path> all = Files.walk(classes)) {
      assertThat(all.map(p -> classes.relativize(p).toString().replace('\\', '/')))
          .noneMatch(n -> n.startsWith("dev/otc/e2ee/sframe"));
    }
    ModuleDescriptor module;
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      module = ModuleDescriptor.read(in);
    }
    assertThat(module.exports().stream().map(ModuleDescriptor.Exports::source))
        .containsExactlyInAnyOrder("dev.otc.e2ee", "dev.otc.e2ee.media");
    assertThat(module.packages()).doesNotContain("dev.otc.e2ee.sframe");
  }

  @Test
  void theShippedLibraryHasNoTestOnlyFunctionAndTheTestBuildHasThemAll() throws IOException {
    Path shipped = TestFiles.nativeLibDir().resolve("libotc.so.0");
    assertThat(shipped).isRegularFile();
    NativeLibrary lib = NativeLibrary.getInstance(shipped.toString());
    assertThat(lib.getFunction("otc_frame_cryptor_encrypt")).isNotNull();
    for (String name : TEST_ONLY) {
      assertThatThrownBy(() -> lib.getFunction(name)).as(name).isInstanceOf(UnsatisfiedLinkError.class);
    }
    // The test build, which JavaCPP loaded for these tests, has every one of them: the check above
    // looks for names that exist.
    assertThat(Path.of(TestBuild.path())).isNotEqualTo(shipped);
    NativeLibrary testing = NativeLibrary.getInstance(TestBuild.path());
    for (String name : TEST_ONLY) {
      assertThat(testing.getFunction(name)).as(name).isNotNull();
    }
  }
}
