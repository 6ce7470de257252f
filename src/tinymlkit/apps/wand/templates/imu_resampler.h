// Resamples a stream of IMU samples to the tracker's rate (kRateHz) by linear interpolation, the same way
// training resamples recordings (tinymlkit.features.stroke.resample).

#ifndef IMU_RESAMPLER_H_
#define IMU_RESAMPLER_H_

constexpr int kImuValues = 6;  // ax, ay, az (g), gx, gy, gz (degrees/s)

class ImuResampler {
 public:
  // Adds one input sample taken at t_ms and writes the output samples now due into out (at most max_out);
  // returns how many were written. Output k is at t0 + k * 1000 / kRateHz, t0 being the first input's time.
  int Push(double t_ms, const double sample[kImuValues], double out[][kImuValues], int max_out);

 private:
  bool started_ = false;
  double t0_ = 0.0;
  double next_index_ = 0.0;
  double prev_t_ = 0.0;
  double prev_[kImuValues] = {};
};

#endif  // IMU_RESAMPLER_H_
