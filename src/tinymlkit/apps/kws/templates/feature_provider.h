// The feature window the model sees: kFrames slices of kChannels int8 values, the newest last. Each slice is the
// micro frontend's output for kWindowMs of audio, every kStrideMs, quantized with the model's input parameters.

#ifndef FEATURE_PROVIDER_H_
#define FEATURE_PROVIDER_H_

#include <cstdint>

#include "model_settings.h"

class FeatureProvider {
 public:
  // Sets up the frontend with the training configuration. False on failure.
  bool Begin();

  // Computes every slice whose audio has arrived by `now_ms`; returns how many new slices there are.
  int Update(int32_t now_ms);

  const int8_t* features() const { return features_; }

 private:
  bool ComputeSlice(int32_t start_ms, int8_t* out);

  int8_t features_[kFeatureCount] = {};
  int32_t next_slice_ = 0;  // slice i covers audio [i * kStrideMs, i * kStrideMs + kWindowMs)
};

#endif  // FEATURE_PROVIDER_H_
