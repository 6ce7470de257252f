# %% exercise="quantize" variant=1 expect="values beyond the int8 range"
def quantize_cpp():  # converts without clamping: loud inputs wrap around to the other sign
    return """
int8_t quantize(float x, float scale, int zero_point) {
  return static_cast<int8_t>(std::lround(x / scale) + zero_point);
}
"""


# %% exercise="quantize" variant=2 expect="values inside the int8 range"
def quantize_cpp():  # a cast truncates towards zero instead of rounding
    return """
int8_t quantize(float x, float scale, int zero_point) {
  int q = static_cast<int>(x / scale) + zero_point;
  if (q < -128) q = -128;
  if (q > 127) q = 127;
  return static_cast<int8_t>(q);
}
"""


# %% exercise="quantize" variant=3 expect="values halfway between two steps"
def quantize_cpp():  # rounds halves to even (std::nearbyint), as NumPy does, not away from zero as TFLM
    return """
int8_t quantize(float x, float scale, int zero_point) {
  long q = static_cast<long>(std::nearbyint(x / scale)) + zero_point;
  if (q < -128) q = -128;
  if (q > 127) q = 127;
  return static_cast<int8_t>(q);
}
"""


# %% exercise="moving-average" variant=1 expect="means while the window"
def moving_average_cpp():  # always divides by WINDOW, also before the buffer is full
    return """
float push_sample(float x) {
  static float history[WINDOW];
  static int next = 0;
  history[next] = x;
  next = (next + 1) % WINDOW;
  float sum = 0.0f;
  for (int i = 0; i < WINDOW; i++) sum += history[i];
  return sum / WINDOW;
}
"""


# %% exercise="moving-average" variant=2 expect="means once the window"
def moving_average_cpp():  # never forgets: the mean of every sample since the start
    return """
float push_sample(float x) {
  static float sum = 0.0f;
  static int count = 0;
  sum += x;
  count++;
  return sum / count;
}
"""


# %% exercise="imu-test" variant=1 expect="sample rate of a still board"
def imu_figures(table):  # n samples over the duration: one interval too many
    table = np.asarray(table, dtype=np.float64)
    rate_hz = len(table) * 1000.0 / (table[-1, 0] - table[0, 0])
    return rate_hz, float(np.mean(np.linalg.norm(table[:, 1:4], axis=1)))


# %% exercise="imu-test" variant=2 expect="mean acceleration of a board turning"
def imu_figures(table):  # the magnitude of the mean vector: a turning board's readings cancel out
    table = np.asarray(table, dtype=np.float64)
    rate_hz = (len(table) - 1) * 1000.0 / (table[-1, 0] - table[0, 0])
    return rate_hz, float(np.linalg.norm(table[:, 1:4].mean(axis=0)))


# %% exercise="imu-test" variant=3 expect="mean acceleration of a still board"
def imu_figures(table):  # takes the time and acceleration columns one place off (includes the time column)
    table = np.asarray(table, dtype=np.float64)
    rate_hz = (len(table) - 1) * 1000.0 / (table[-1, 0] - table[0, 0])
    return rate_hz, float(np.mean(np.linalg.norm(table[:, 0:3], axis=1)))
