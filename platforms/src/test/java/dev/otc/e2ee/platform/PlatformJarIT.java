package dev.otc.e2ee.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published artifacts work on their own, as javacpp-presets' do: a separate JVM (no
 * java.library.path, a fresh JavaCPP cache) encrypts and decrypts a frame with the class path an
 * application gets from {@code dev.otc:otc-e2ee-platform}, and with {@code dev.otc:otc-e2ee} plus
 * the one natives jar of its platform; without a natives jar the error names both ways to fix it.
 */
class PlatformJarIT {
  private static final Path LIB = Path.of(System.getProperty("otc.it.lib"));
  private static final Path CONSUMER_CLASSPATH = Path.of(System.getProperty("otc.it.classpath"));
  private static final String PLATFORM = System.getProperty("otc.it.platform");
  private static final Path PROGRAM = Path.of(System.getProperty("otc.it.program"));
  private static final Path WORK = Path.of(System.getProperty("otc.it.work"));

  /** Platforms cross-built beside the host one (profile cross), comma separated; empty without it. */
  private static final List<String> CROSS_PLATFORMS =
      Arrays.stream(System.getProperty("otc.it.cross.platforms", "").split(",")).filter(p -> !p.isBlank()).toList();

  /** ELF e_machine of each Linux platform's machine code. */
  private static final Map<String, Integer> ELF_MACHINE = Map.of("linux-x86_64", 62, "linux-arm64", 183);

  /** PE/COFF machine of each Windows platform's DLLs (IMAGE_FILE_MACHINE_AMD64). */
  private static final Map<String, Integer> PE_MACHINE = Map.of("windows-x86_64", 0x8664);

  private record Result(int exitCode, String output) {}

  private static Path nativesJar() {
    return nativesJar(PLATFORM);
  }

  private static Path nativesJar(String platform) {
    return LIB.resolve("otc-e2ee-bindings-" + platform + ".jar");
  }

  /** The host platform's natives jar, then those of the cross-built platforms. */
  static List<String> builtPlatforms() {
    List<String> all = new ArrayList<>(List.of(PLATFORM));
    all.addAll(CROSS_PLATFORMS);
    return all;
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  private static int u32(byte[] b, int at) {
    return u16(b, at) | u16(b, at + 2) << 16;
  }

  /** The machine code of a library is that of its platform: ELF e_machine, or a PE32+ DLL's machine. */
  private static void assertMachine(String platform, String lib, byte[] image) {
    if (platform.startsWith("windows-")) {
      assertThat(Arrays.copyOf(image, 2)).as("MZ header of " + lib).containsExactly('M', 'Z');
      int pe = u32(image, 0x3c);
      assertThat(Arrays.copyOfRange(image, pe, pe + 4)).as("PE signature of " + lib).containsExactly('P', 'E', 0, 0);
      assertThat(u16(image, pe + 4)).as("COFF machine of " + lib).isEqualTo(PE_MACHINE.get(platform));
      assertThat(u16(image, pe + 22) & 0x2000).as("IMAGE_FILE_DLL of " + lib).isNotZero();
      assertThat(u16(image, pe + 24)).as("PE32+ optional header of " + lib).isEqualTo(0x20b);
    } else {
      assertThat(Arrays.copyOf(image, 4)).as("ELF magic of " + lib).containsExactly(0x7f, 'E', 'L', 'F');
      assertThat(u16(image, 18)).as("ELF e_machine of " + lib).isEqualTo(ELF_MACHINE.get(platform));
    }
  }

  private static Result run(List<String> classPath, String cacheName) throws IOException, InterruptedException {
    return run(Path.of(System.getProperty("java.home"), "bin", "java").toString(), 120, classPath, cacheName);
  }

  private static Result run(String javaLauncher, int timeoutSeconds, List<String> classPath, String cacheName)
      throws IOException, InterruptedException {
    Path cache = WORK.resolve(cacheName);
    Files.createDirectories(cache);
    List<String> cmd = List.of(
        javaLauncher,
        "-Djava.library.path=" + WORK.resolve("no-such-dir"),
        "-Dorg.bytedeco.javacpp.cachedir=" + cache,
        "-cp", String.join(java.io.File.pathSeparator, classPath),
        PROGRAM.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("separate JVM did not finish in " + timeoutSeconds + " s: " + cmd);
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /**
   * JVMs other than the host's that can run a natives jar here: Debian's arm64 JRE under
   * qemu-aarch64 when linux-arm64 was cross-built (launcher made by native/scripts/arm64-jre.sh).
   * Windows has none: a Windows JVM under wine is not part of this build.
   */
  static List<String> emulatedJvmPlatforms() {
    return CROSS_PLATFORMS.contains("linux-arm64") ? List.of("linux-arm64") : List.of();
  }

  /** The Automatic-Module-Name of a platform's natives jar: dev.otc.e2ee.bindings.linux.x86_64. */
  private static String nativesModule(String platform) {
    return "dev.otc.e2ee.bindings." + platform.replace('-', '.');
  }

  private static final Path MODULAR = PROGRAM.getParent().resolve("modular");

  /** javac over one module of src/it/modular against the published jars; the output and exit code. */
  private static Result compileModule(String module) throws IOException {
    Path out = WORK.resolve("modular-classes").resolve(module);
    List<String> args = new ArrayList<>(List.of("--module-path", modulePath(), "-d", out.toString()));
    try (Stream<Path> sources = Files.walk(MODULAR.resolve(module))) {
      sources.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(text, true, StandardCharsets.UTF_8)) {
      int rc = ToolProvider.findFirst("javac").orElseThrow().run(ps, ps, args.toArray(String[]::new));
      return new Result(rc, text.toString(StandardCharsets.UTF_8));
    }
  }

  /** The API, the bindings, JavaCPP and the host's natives jar: what a modular application puts on its module path. */
  private static String modulePath() {
    return String.join(java.io.File.pathSeparator,
        jars("otc-e2ee.jar", "otc-e2ee-bindings.jar", "javacpp.jar", nativesJar().getFileName().toString()));
  }

  private static List<String> jars(String... names) {
    return Arrays.stream(names).map(n -> LIB.resolve(n).toString()).toList();
  }

  private static void assertRoundTrip(Result r) {
    assertRoundTrip(r, PLATFORM);
  }

  private static void assertRoundTrip(Result r, String platform) {
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output())
        .contains("supported=true")
        .contains("platform=" + platform)
        .contains("equal=true")
        .contains("text=platform jar round trip");
  }

  // No invocation on a host-only build (no cross platform built): nothing to run, not a skip.
  @ParameterizedTest(allowZeroInvocations = true)
  @MethodSource("emulatedJvmPlatforms")
  void theJavaApiPlusTheCrossBuiltClassifierJarRoundTripsInThatPlatformsJvm(String platform) throws Exception {
    String launcher = System.getProperty("otc.it.java." + platform);
    assertThat(launcher).as("launcher of the " + platform + " JVM").isNotBlank();
    Result r = run(launcher, 900, jars("otc-e2ee.jar", "otc-e2ee-bindings.jar", "javacpp.jar",
        nativesJar(platform).getFileName().toString()), "cache-" + platform);
    assertRoundTrip(r, platform);
    // JavaCPP picked the arm64 natives by the JVM's os.arch, and AES-GCM runs on the ARMv8
    // Cryptography Extensions (qemu's default CPU has AES and PMULL).
    assertThat(r.output()).contains("arch=aarch64").contains("aes=armv8-ce");
  }

  @ParameterizedTest
  @MethodSource("builtPlatforms")
  void nativesJarHoldsBothLibrariesOfItsPlatformAndTheLicences(String platform) throws IOException {
    boolean windows = platform.startsWith("windows-");
    try (JarFile jar = new JarFile(nativesJar(platform).toFile())) {
      String dir = "dev/otc/e2ee/bindings/" + platform + "/";
      // libotc under its SONAME (libotc.so.0); Windows has none.
      for (String lib : windows ? List.of("jniotc.dll", "otc.dll") : List.of("libjniotc.so", "libotc.so.0")) {
        ZipEntry entry = jar.getEntry(dir + lib);
        assertThat(entry).as(dir + lib).isNotNull();
        try (InputStream in = jar.getInputStream(entry)) {
          byte[] image = in.readAllBytes();
          assertMachine(platform, lib, image);
          // Nothing test-only ships: neither the fault injection of the test build nor its raw SFrame
          // and primitive layers (native/testing/include) are in these natives.
          assertThat(new String(image, StandardCharsets.ISO_8859_1)).as(lib).doesNotContain("otc_testing")
              .doesNotContain("otc_sframe_protect").doesNotContain("otc_sframe_context_new")
              .doesNotContain("otc_aead_seal").doesNotContain("otc_hkdf_extract").doesNotContain("otc_e2ee_derive_master_key");
        }
      }
      // A module name of its own, so the jar can stand on the module path (javacpp-presets' scheme).
      assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo(nativesModule(platform));
      assertThat(jar.getEntry("META-INF/otc-e2ee/LICENSE")).isNotNull();
      assertThat(jar.getEntry("META-INF/otc-e2ee/THIRD-PARTY-NOTICES.txt")).isNotNull();
      // Nothing of another platform, and no Java classes: those are in the main bindings jar.
      assertThat(jar.stream().map(ZipEntry::getName))
          .allMatch(n -> n.startsWith(dir) || n.startsWith("META-INF/") || n.equals("dev/")
              || n.equals("dev/otc/") || n.equals("dev/otc/e2ee/") || n.equals("dev/otc/e2ee/bindings/"));
    }
  }

  @Test
  void theApiJarExportsOnlyItsPublicPackages() {
    ModuleDescriptor api = ModuleFinder.of(LIB.resolve("otc-e2ee.jar")).findAll().iterator().next().descriptor();
    assertThat(api.name()).isEqualTo("dev.otc.e2ee");
    assertThat(api.isAutomatic()).isFalse();
    assertThat(api.exports().stream().map(ModuleDescriptor.Exports::source))
        .containsExactlyInAnyOrder("dev.otc.e2ee", "dev.otc.e2ee.media");
    // The raw SFrame layer (caller-chosen KIDs and counters) is test-only: no such package ships.
    assertThat(api.packages()).doesNotContain("dev.otc.e2ee.sframe");
    // The implementation is in the module, just not exported.
    assertThat(api.packages())
        .contains("dev.otc.e2ee.internal", "dev.otc.e2ee.internal.session", "dev.otc.e2ee.internal.media");
    assertThat(api.requires().stream().filter(r -> r.name().equals("dev.otc.e2ee.bindings")))
        .as("the bindings are required, not re-exported to applications")
        .allMatch(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)).hasSize(1);
    ModuleDescriptor bindings =
        ModuleFinder.of(LIB.resolve("otc-e2ee-bindings.jar")).findAll().iterator().next().descriptor();
    assertThat(bindings.name()).isEqualTo("dev.otc.e2ee.bindings");
  }

  @Test
  void thePlatformArtifactDependsOnTheNativesOfEveryPlatformBuilt() throws IOException {
    List<String> cp = Arrays.asList(Files.readString(CONSUMER_CLASSPATH).trim().split(java.io.File.pathSeparator));
    for (String platform : builtPlatforms()) {
      assertThat(cp).as(platform).anyMatch(e -> e.contains("otc-e2ee-bindings") && e.endsWith(platform + ".jar"));
    }
  }

  @Test
  void dependingOnThePlatformArtifactIsEnough() throws Exception {
    List<String> cp = Arrays.asList(Files.readString(CONSUMER_CLASSPATH).trim().split(java.io.File.pathSeparator));
    assertThat(cp).anyMatch(e -> e.contains("otc-e2ee-bindings") && e.contains(PLATFORM));
    assertRoundTrip(run(cp, "cache-platform-artifact"));
  }

  @Test
  void theJavaApiPlusOneClassifierJarIsEnough() throws Exception {
    assertRoundTrip(run(jars("otc-e2ee.jar", "otc-e2ee-bindings.jar", "javacpp.jar",
        nativesJar().getFileName().toString()), "cache-one-classifier"));
  }

  @Test
  void withoutANativesJarTheErrorNamesTheClassifierAndThePlatformArtifact() throws Exception {
    Result r = run(jars("otc-e2ee.jar", "otc-e2ee-bindings.jar", "javacpp.jar"), "cache-without-natives");
    assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
    assertThat(r.output())
        .contains("LOAD-ERROR")
        .contains("dev.otc:otc-e2ee-bindings:jar:" + PLATFORM)
        .contains("classifier " + PLATFORM)
        .contains("dev.otc:otc-e2ee-platform");
  }

  @Test
  void aModularApplicationRunsWithEveryJarOnTheModulePath() throws Exception {
    Result javac = compileModule("app");
    assertThat(javac.exitCode()).as(javac.output()).isZero();
    Path cache = WORK.resolve("cache-module-path");
    Files.createDirectories(cache);
    List<String> cmd = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.library.path=" + WORK.resolve("no-such-dir"),
        "-Dorg.bytedeco.javacpp.cachedir=" + cache,
        "--module-path", modulePath() + java.io.File.pathSeparator + WORK.resolve("modular-classes").resolve("app"),
        // The natives module has no code anything requires: it is added, as javacpp-presets' are.
        "--add-modules", nativesModule(PLATFORM),
        "-m", "app/app.Main");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("separate JVM did not finish in 120 s: " + cmd);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("app=app api=dev.otc.e2ee text=module path round trip")
        .contains("media=dev.otc.e2ee frame=I420 64x48");
  }

  @Test
  void onTheModulePathApplicationsCannotReachTheImplementationNorTheBindings() throws Exception {
    Result javac = compileModule("reach");
    assertThat(javac.exitCode()).as(javac.output()).isNotZero();
    assertThat(javac.output())
        .contains("package dev.otc.e2ee.internal is not visible")
        .contains("package dev.otc.e2ee.bindings.global is not visible");
  }
}
