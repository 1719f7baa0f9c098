#include "signal_quality.hpp"

#include <cmath>
#include <limits>

namespace otc_test {

double psnr_i420(int width, int height, const std::uint8_t* const ref[3], const int ref_stride[3],
                 const std::uint8_t* const test[3], const int test_stride[3]) {
  double squared = 0;
  double count = 0;
  for (int plane = 0; plane < 3; ++plane) {
    const int w = plane == 0 ? width : (width + 1) / 2;
    const int h = plane == 0 ? height : (height + 1) / 2;
    for (int row = 0; row < h; ++row) {
      const std::uint8_t* a = ref[plane] + static_cast<std::size_t>(row) * ref_stride[plane];
      const std::uint8_t* b = test[plane] + static_cast<std::size_t>(row) * test_stride[plane];
      for (int col = 0; col < w; ++col) {
        const double d = static_cast<double>(a[col]) - static_cast<double>(b[col]);
        squared += d * d;
      }
    }
    count += static_cast<double>(w) * h;
  }
  if (squared == 0) {
    return 99.0;
  }
  return 10.0 * std::log10(255.0 * 255.0 / (squared / count));
}

std::vector<std::int16_t> make_tone(double frequency, double amplitude, int channels, std::size_t samples,
                                    std::size_t offset) {
  const double pi = std::acos(-1.0);
  std::vector<std::int16_t> pcm(samples * static_cast<std::size_t>(channels));
  for (std::size_t i = 0; i < samples; ++i) {
    const double t = static_cast<double>(i + offset) / 48000.0;
    const auto s = static_cast<std::int16_t>(std::lround(amplitude * 32767.0 * std::sin(2 * pi * frequency * t)));
    for (int c = 0; c < channels; ++c) {
      pcm[i * channels + c] = s;
    }
  }
  return pcm;
}

double snr_aligned(const std::vector<std::int16_t>& source, const std::vector<std::int16_t>& decoded,
                   std::size_t start, std::size_t length, std::size_t max_lag, std::size_t& lag) {
  double best = -std::numeric_limits<double>::infinity();
  lag = 0;
  for (std::size_t l = 0; l <= max_lag; ++l) {
    if (start + length > source.size() || start + l + length > decoded.size()) {
      break;
    }
    double signal = 0;
    double noise = 0;
    for (std::size_t i = start; i < start + length; ++i) {
      const double s = source[i];
      const double d = static_cast<double>(decoded[i + l]) - s;
      signal += s * s;
      noise += d * d;
    }
    const double snr = noise == 0 ? 99.0 : 10.0 * std::log10(signal / noise);
    if (snr > best) {
      best = snr;
      lag = l;
    }
  }
  return best;
}

}  // namespace otc_test
