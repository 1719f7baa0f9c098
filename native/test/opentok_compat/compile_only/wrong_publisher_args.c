/*
 * Compile-only, must FAIL: the argument order of this SDK's earlier otc_publisher_new
 * (name, callbacks, settings). Against OpenTok's (name, video_capturer, callbacks) it passes
 * callbacks as the capturer and settings as the callbacks: with -Werror=incompatible-pointer-types
 * (docs/OPENTOK-COMPAT.md) that is a compile error, not a warning followed by a misread struct.
 */
#include <opentok.h>

otc_publisher* old_order(const struct otc_publisher_callbacks* callbacks, const otc_publisher_settings* settings);

otc_publisher* old_order(const struct otc_publisher_callbacks* callbacks, const otc_publisher_settings* settings) {
  return otc_publisher_new("name", callbacks, settings);
}
