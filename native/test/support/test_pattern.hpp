// A deterministic moving test pattern for the media tests: smooth gradients that drift a few
// pixels a frame (so encoders see motion) and the frame number burnt in as 16 black/white blocks
// (so a decoded picture says which frame it is, and order can be checked after a codec).
#ifndef OTC_TEST_TEST_PATTERN_HPP
#define OTC_TEST_TEST_PATTERN_HPP

#include <cstdint>
#include <vector>

namespace otc_test {

// An I420 picture in three tightly packed planes (chroma (w+1)/2 x (h+1)/2).
struct I420Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> y, u, v;
  int y_stride() const { return width; }
  int uv_stride() const { return (width + 1) / 2; }
};

// Frame `index` (0..65535 shown in the counter) of the pattern at width x height (width >= 336 and
// height >= 32 for the counter to fit; smaller sizes get the gradients only).
I420Image make_test_pattern(int width, int height, int index);

// The frame number burnt into a picture of the pattern (Y plane), read back by averaging each block;
// -1 if the picture is too small to hold the counter.
int read_frame_counter(const std::uint8_t* y, int y_stride, int width, int height);

}  // namespace otc_test

#endif
