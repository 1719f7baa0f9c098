// Decoders start at a keyframe and, after any error, wait for the next one: an inter frame whose
// references are missing or broken would decode into garbage (or be refused by the codec anyway).
#ifndef OTC_SRC_MEDIA_KEYFRAME_GATE_HPP
#define OTC_SRC_MEDIA_KEYFRAME_GATE_HPP

namespace otc::media {

class KeyframeGate {
 public:
  // Whether to decode the next frame: a keyframe always; an inter frame only while the chain since
  // the last keyframe is intact.
  bool admit(bool keyframe) {
    if (keyframe) {
      waiting_ = false;
    }
    return !waiting_;
  }
  // The frame just admitted did not decode: wait for a keyframe again.
  void failed() { waiting_ = true; }

 private:
  bool waiting_ = true;
};

}  // namespace otc::media

#endif
