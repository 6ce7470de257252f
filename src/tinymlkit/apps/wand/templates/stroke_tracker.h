// Finds gestures in the IMU stream and turns each into a 2-D stroke: the same algorithm, constants and
// arithmetic (double precision, same order) as training's tinymlkit.features.stroke.track_strokes.

#ifndef STROKE_TRACKER_H_
#define STROKE_TRACKER_H_

#include <cstdint>

#include "model_settings.h"

class StrokeTracker {
 public:
  // Feeds one sample at kRateHz: accelerometer in g, gyroscope in degrees/s. Returns true when a stroke has
  // just ended; it is then in points() (x, y pairs in degrees) until the next one starts.
  bool Update(const double accel[3], const double gyro[3]);
  // Ends a stroke still being drawn (the end of a recording); true if it was long enough to keep.
  bool Finish();
  int length() const { return length_; }
  const double* points() const { return points_; }
  bool drawing() const { return drawing_; }

 private:
  void AddPoint(double wx, double wy, double wz);

  bool seeded_ = false;
  bool drawing_ = false;
  double drift_[3] = {};
  double gravity_[3] = {};
  double energy_ = 0.0;
  double orientation_[3] = {};
  double ny_ = 0.0;
  double nz_ = 1.0;
  int still_ = 0;
  int count_ = 0;
  int length_ = 0;
  double preroll_[kPrerollSamples][3] = {};
  int preroll_count_ = 0;
  int preroll_next_ = 0;
  double points_[kMaxSamples * 2] = {};
};

// The stroke's int8 points as they are rasterized: at most kMaxPoints (every k-th point), centred on their
// bounding box, the larger side (at least kMinExtentDeg) scaled to [-127, 127]. Returns the point count.
int StrokePoints(const double* xy, int count, int8_t* out);

#endif  // STROKE_TRACKER_H_
