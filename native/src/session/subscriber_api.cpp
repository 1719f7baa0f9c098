// C API of subscribers (otc/subscriber.h).
#include "otc/subscriber.h"
#include "c_api_guard.hpp"
#include "session_core.hpp"
#include "subscriber_core.hpp"
#include "sized_struct.hpp"

using otc::client::SubscriberCore;

extern "C" {

otc_subscriber* otc_subscriber_new(const otc_stream* stream, const struct otc_subscriber_callbacks* callbacks) {
  if (!stream || !callbacks) return nullptr;
  return otc::guarded_or<otc_subscriber*>(nullptr, [&] {
    auto core = std::make_shared<SubscriberCore>(*stream, callbacks);
    auto* handle = new otc_subscriber{core};
    core->gate().set(handle);
    return handle;
  });
}

otc_status otc_subscriber_delete(otc_subscriber* subscriber) {
  if (!subscriber) return OTC_SUCCESS;
  const otc_status st = otc::guarded([&] {
    subscriber->core->gate().clear();
    if (auto session = subscriber->core->session()) session->unsubscribe(subscriber->core);
    return OTC_SUCCESS;
  });
  // The handle goes whatever happened above: the caller may not use it again.
  delete subscriber;
  return st;
}

const otc_stream* otc_subscriber_get_stream(const otc_subscriber* subscriber) {
  return subscriber ? &subscriber->core->stream() : nullptr;
}

otc_status otc_subscriber_request_keyframe(otc_subscriber* subscriber) {
  if (!subscriber) return OTC_ERR_INVALID_PARAM;
  return otc::guarded([&] { return subscriber->core->request_keyframe(); });
}

otc_status otc_subscriber_set_subscribe_to_video(otc_subscriber* subscriber, otc_bool subscribe_to_video) {
  if (!subscriber) return OTC_ERR_INVALID_PARAM;
  subscriber->core->set_subscribe_to_video(subscribe_to_video != 0);
  return OTC_SUCCESS;
}

otc_status otc_subscriber_set_subscribe_to_audio(otc_subscriber* subscriber, otc_bool subscribe_to_audio) {
  if (!subscriber) return OTC_ERR_INVALID_PARAM;
  subscriber->core->set_subscribe_to_audio(subscribe_to_audio != 0);
  return OTC_SUCCESS;
}

otc_status otc_subscriber_set_video_codecs(otc_subscriber* subscriber, const int* codecs, std::size_t count) {
  if (!subscriber || (!codecs && count) || count > 16) return OTC_ERR_INVALID_PARAM;
  return otc::guarded([&] { return subscriber->core->set_video_codecs(std::vector<int>(codecs, codecs + count)); });
}

otc_status otc_subscriber_get_stats(const otc_subscriber* subscriber, otc_subscriber_stats* stats) {
  if (!subscriber || !stats) return OTC_ERR_INVALID_PARAM;
  otc_subscriber_stats full{};
  subscriber->core->get_stats(&full);
  return otc::fill_sized(full, stats);
}

}  // extern "C"
