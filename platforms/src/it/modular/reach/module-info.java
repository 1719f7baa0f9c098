/** Compiled by PlatformJarIT, which expects javac to refuse it: see reach/Reach.java. */
module reach {
  requires dev.otc.e2ee;
}
