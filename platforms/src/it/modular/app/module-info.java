/** Run by PlatformJarIT: an application module that requires only the public API. */
module app {
  requires dev.otc.e2ee;
}
