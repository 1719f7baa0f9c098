#include "test_pattern.hpp"

namespace otc_test {
namespace {

constexpr int kCounterBits = 16;
constexpr int kBlock = 16;     // block side in pixels
constexpr int kPitch = 20;     // block to block
constexpr int kOrigin = 8;     // top-left corner of the first block
constexpr int kCounterWidth = kOrigin + kCounterBits * kPitch;

// Triangle wave 0..period/2..0 over `period`: gradients without the hard edge a sawtooth would have.
int triangle(int v, int period) {
  int p = v % period;
  if (p < 0) {
    p += period;
  }
  return p < period / 2 ? p : period - p;
}

bool counter_fits(int width, int height) { return width >= kCounterWidth && height >= kOrigin + kBlock + 8; }

}  // namespace

I420Image make_test_pattern(int width, int height, int index) {
  I420Image img;
  img.width = width;
  img.height = height;
  const int cw = (width + 1) / 2;
  const int ch = (height + 1) / 2;
  img.y.resize(static_cast<std::size_t>(width) * height);
  img.u.resize(static_cast<std::size_t>(cw) * ch);
  img.v.resize(static_cast<std::size_t>(cw) * ch);
  for (int row = 0; row < height; ++row) {
    for (int col = 0; col < width; ++col) {
      // 16..236: two drifting diagonal ramps.
      const int value = 16 + triangle(col + 4 * index, 512) * 110 / 256 + triangle(row + 2 * index, 360) * 110 / 180;
      img.y[static_cast<std::size_t>(row) * width + col] = static_cast<std::uint8_t>(value);
    }
  }
  for (int row = 0; row < ch; ++row) {
    for (int col = 0; col < cw; ++col) {
      img.u[static_cast<std::size_t>(row) * cw + col] = static_cast<std::uint8_t>(78 + triangle(col + 3 * index, 200));
      img.v[static_cast<std::size_t>(row) * cw + col] = static_cast<std::uint8_t>(88 + triangle(row + index, 160));
    }
  }
  if (counter_fits(width, height)) {
    for (int bit = 0; bit < kCounterBits; ++bit) {
      const std::uint8_t luma = ((index >> bit) & 1) != 0 ? 235 : 16;
      const int x0 = kOrigin + bit * kPitch;
      for (int row = kOrigin; row < kOrigin + kBlock; ++row) {
        for (int col = x0; col < x0 + kBlock; ++col) {
          img.y[static_cast<std::size_t>(row) * width + col] = luma;
        }
      }
      for (int row = kOrigin / 2; row < (kOrigin + kBlock) / 2; ++row) {  // neutral chroma under the blocks
        for (int col = x0 / 2; col < (x0 + kBlock) / 2; ++col) {
          img.u[static_cast<std::size_t>(row) * cw + col] = 128;
          img.v[static_cast<std::size_t>(row) * cw + col] = 128;
        }
      }
    }
  }
  return img;
}

int read_frame_counter(const std::uint8_t* y, int y_stride, int width, int height) {
  if (!counter_fits(width, height)) {
    return -1;
  }
  int value = 0;
  for (int bit = 0; bit < kCounterBits; ++bit) {
    const int x0 = kOrigin + bit * kPitch;
    long sum = 0;
    // The inner 8x8 of each block: its edges blur in a codec.
    for (int row = kOrigin + 4; row < kOrigin + kBlock - 4; ++row) {
      for (int col = x0 + 4; col < x0 + kBlock - 4; ++col) {
        sum += y[static_cast<std::size_t>(row) * y_stride + col];
      }
    }
    if (sum / 64 > 125) {
      value |= 1 << bit;
    }
  }
  return value;
}

}  // namespace otc_test
