#include "recognizer.h"

Recognition Recognizer::Process(const int8_t* scores, int32_t time_ms) {
  // Drop results older than the averaging window, then append this one (scores moved to 0-255).
  while (count_ > 0 && results_[first_].time_ms < time_ms - kAverageWindowMs) {
    first_ = (first_ + 1) % kMaxResults;
    --count_;
  }
  if (count_ == kMaxResults) {  // more inferences per window than we keep: forget the oldest
    first_ = (first_ + 1) % kMaxResults;
    --count_;
  }
  Result& slot = results_[(first_ + count_) % kMaxResults];
  slot.time_ms = time_ms;
  for (int i = 0; i < kLabelCount; ++i) slot.scores[i] = static_cast<uint8_t>(scores[i] + 128);
  ++count_;

  Recognition r;
  const int32_t span = time_ms - results_[first_].time_ms;
  if (count_ < kMinimumCount || span < kAverageWindowMs / 4) return r;

  int best = 0;
  int best_score = -1;
  for (int label = 0; label < kLabelCount; ++label) {
    int32_t sum = 0;
    for (int k = 0; k < count_; ++k) sum += results_[(first_ + k) % kMaxResults].scores[label];
    const int average = sum / count_;
    if (average > best_score) {
      best_score = average;
      best = label;
    }
  }
  r.label = best;
  r.score = best_score;
  const bool quiet_before = last_label_ < 0 || last_label_ == kSilenceIndex;
  const bool suppressed = !quiet_before && best == last_label_ && time_ms - last_time_ms_ <= kSuppressionMs;
  if (best_score > kDetectionThreshold && !suppressed) {
    last_label_ = best;
    last_time_ms_ = time_ms;
    r.is_new = true;
  }
  return r;
}
