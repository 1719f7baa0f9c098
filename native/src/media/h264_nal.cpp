// The sequence parameter set fields up to the picture size (ITU-T H.264 sec. 7.3.2.1.1), read
// from untrusted bytes with every read bounds-checked.
#include "h264_nal.hpp"

#include <vector>

namespace otc::media {
namespace {

constexpr int kNalSps = 7;

// Bits of an RBSP (emulation prevention bytes already removed).
class BitReader {
 public:
  explicit BitReader(const std::vector<std::uint8_t>& bytes) : bytes_(bytes) {}

  bool bit(std::uint32_t& out) {
    if (pos_ >= bytes_.size() * 8) {
      return false;
    }
    out = (bytes_[pos_ / 8] >> (7 - pos_ % 8)) & 1u;
    ++pos_;
    return true;
  }

  bool bits(int n, std::uint32_t& out) {
    out = 0;
    for (int i = 0; i < n; ++i) {
      std::uint32_t b = 0;
      if (!bit(b)) {
        return false;
      }
      out = (out << 1) | b;
    }
    return true;
  }

  // ue(v); values beyond 2^31 are refused (no SPS field needs them).
  bool ue(std::uint32_t& out) {
    int zeros = 0;
    std::uint32_t b = 0;
    while (true) {
      if (!bit(b)) {
        return false;
      }
      if (b == 1) {
        break;
      }
      if (++zeros > 31) {
        return false;
      }
    }
    std::uint32_t rest = 0;
    if (!bits(zeros, rest)) {
      return false;
    }
    out = ((1u << zeros) - 1) + rest;
    return true;
  }

  bool se(std::int64_t& out) {
    std::uint32_t u = 0;
    if (!ue(u)) {
      return false;
    }
    out = (u & 1) != 0 ? static_cast<std::int64_t>((u + 1) / 2) : -static_cast<std::int64_t>(u / 2);
    return true;
  }

 private:
  const std::vector<std::uint8_t>& bytes_;
  std::size_t pos_ = 0;
};

bool high_profile(std::uint32_t profile) {
  switch (profile) {
    case 100: case 110: case 122: case 244: case 44: case 83: case 86: case 118: case 128: case 138:
    case 139: case 134: case 135:
      return true;
    default:
      return false;
  }
}

bool skip_scaling_list(BitReader& r, int size) {
  std::int64_t last = 8;
  std::int64_t next = 8;
  for (int j = 0; j < size; ++j) {
    if (next != 0) {
      std::int64_t delta = 0;
      if (!r.se(delta) || delta < -128 || delta > 127) {
        return false;
      }
      next = (last + delta + 256) % 256;
    }
    last = next == 0 ? last : next;
  }
  return true;
}

// SPS RBSP (after the NAL header byte) -> coded size in pixels.
bool parse_sps(const std::vector<std::uint8_t>& rbsp, int& width, int& height) {
  BitReader r(rbsp);
  std::uint32_t profile = 0, ignored = 0, v = 0;
  if (!r.bits(8, profile) || !r.bits(16, ignored) || !r.ue(v)) {  // profile, constraints + level, sps id
    return false;
  }
  if (high_profile(profile)) {
    std::uint32_t chroma_format = 0;
    if (!r.ue(chroma_format) || chroma_format > 3) {
      return false;
    }
    if (chroma_format == 3 && !r.bit(ignored)) {
      return false;
    }
    std::uint32_t scaling_present = 0;
    if (!r.ue(v) || !r.ue(v) || !r.bit(ignored) || !r.bit(scaling_present)) {  // bit depths, qpprime
      return false;
    }
    if (scaling_present != 0) {
      const int lists = chroma_format != 3 ? 8 : 12;
      for (int i = 0; i < lists; ++i) {
        std::uint32_t present = 0;
        if (!r.bit(present) || (present != 0 && !skip_scaling_list(r, i < 6 ? 16 : 64))) {
          return false;
        }
      }
    }
  }
  std::uint32_t poc_type = 0;
  if (!r.ue(v) || !r.ue(poc_type)) {  // log2_max_frame_num_minus4
    return false;
  }
  if (poc_type == 0) {
    if (!r.ue(v)) {
      return false;
    }
  } else if (poc_type == 1) {
    std::int64_t s = 0;
    std::uint32_t cycle = 0;
    if (!r.bit(ignored) || !r.se(s) || !r.se(s) || !r.ue(cycle) || cycle > 255) {
      return false;
    }
    for (std::uint32_t i = 0; i < cycle; ++i) {
      if (!r.se(s)) {
        return false;
      }
    }
  } else if (poc_type != 2) {
    return false;
  }
  std::uint32_t width_mbs = 0, height_units = 0, frame_mbs_only = 0;
  if (!r.ue(v) || !r.bit(ignored) || !r.ue(width_mbs) || !r.ue(height_units) || !r.bit(frame_mbs_only)) {
    return false;
  }
  // Bounded by the ue() limit: (2^31 + 1) * 32 fits in 64 bits.
  const std::uint64_t w = (static_cast<std::uint64_t>(width_mbs) + 1) * 16;
  const std::uint64_t h = (static_cast<std::uint64_t>(height_units) + 1) * 16 * (frame_mbs_only != 0 ? 1 : 2);
  constexpr std::uint64_t kCap = 1u << 20;  // report anything absurd as just "too big"
  width = static_cast<int>(w < kCap ? w : kCap);
  height = static_cast<int>(h < kCap ? h : kCap);
  return true;
}

}  // namespace

bool h264_sps_sizes_within(const std::uint8_t* data, std::size_t size, int max_width, int max_height) {
  bool ok = true;
  // Each NAL unit runs from after its start code to the next start code (or the end).
  std::size_t i = 0;
  while (ok && i + 3 <= size) {
    if (!(data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1)) {
      ++i;
      continue;
    }
    const std::size_t start = i + 3;
    std::size_t end = start;
    while (end + 2 < size && !(data[end] == 0 && data[end + 1] == 0 && data[end + 2] == 1)) {
      ++end;
    }
    if (end + 2 >= size) {
      end = size;
    }
    if (start < end && (data[start] & 0x1f) == kNalSps) {
      std::vector<std::uint8_t> rbsp;
      rbsp.reserve(end - start);
      int zeros = 0;
      for (std::size_t k = start + 1; k < end; ++k) {
        if (zeros >= 2 && data[k] == 3) {  // emulation prevention byte
          zeros = 0;
          continue;
        }
        zeros = data[k] == 0 ? zeros + 1 : 0;
        rbsp.push_back(data[k]);
      }
      int width = 0;
      int height = 0;
      ok = parse_sps(rbsp, width, height) && width <= max_width && height <= max_height;
    }
    i = end;
  }
  return ok;
}

}  // namespace otc::media
