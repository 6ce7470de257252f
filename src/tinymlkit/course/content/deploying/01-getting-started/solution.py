# %% exercise="quantize"
def quantize_cpp():
    return """
int8_t quantize(float x, float scale, int zero_point) {
  long q = std::lround(x / scale) + zero_point;  // halves away from zero, as TFLM rounds
  if (q < -128) q = -128;                        // clamp before converting: int8_t would wrap around
  if (q > 127) q = 127;
  return static_cast<int8_t>(q);
}
"""


# %% exercise="moving-average"
def moving_average_cpp():
    return """
float push_sample(float x) {
  static float history[WINDOW];  // the last WINDOW samples; no heap
  static int next = 0;           // where the next sample goes
  static int count = 0;          // how many samples the buffer holds (up to WINDOW)
  static float sum = 0.0f;
  if (count == WINDOW) sum -= history[next];  // the oldest sample leaves
  else count++;
  history[next] = x;
  sum += x;
  next = (next + 1) % WINDOW;
  return sum / count;
}
"""


# %% exercise="imu-test"
def imu_figures(table):
    table = np.asarray(table, dtype=np.float64)
    rate_hz = (len(table) - 1) * 1000.0 / (table[-1, 0] - table[0, 0])
    gravity_g = float(np.mean(np.sqrt((table[:, 1:4] ** 2).sum(axis=1))))
    return rate_hz, gravity_g
