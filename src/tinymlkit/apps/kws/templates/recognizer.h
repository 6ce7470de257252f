// Turns the stream of per-inference scores into commands: scores are averaged over a time window, and a command
// is reported when the best average passes a threshold, unless the same command was just reported.

#ifndef RECOGNIZER_H_
#define RECOGNIZER_H_

#include <cstdint>

#include "model_settings.h"

struct Recognition {
  int label = -1;        // index into kLabels of the current best average, or -1 while the window fills
  int score = 0;         // its average score, 0-255
  bool is_new = false;   // true when this is a newly recognized command
};

class Recognizer {
 public:
  // `scores` are the model's int8 outputs for the inference at `time_ms` (times must not decrease).
  Recognition Process(const int8_t* scores, int32_t time_ms);

 private:
  static constexpr int kMaxResults = 64;
  struct Result {
    int32_t time_ms;
    uint8_t scores[kLabelCount];
  };
  Result results_[kMaxResults];
  int first_ = 0;
  int count_ = 0;
  int last_label_ = -1;
  int32_t last_time_ms_ = 0;
};

#endif  // RECOGNIZER_H_
