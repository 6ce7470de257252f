// Reads one 176x144 grayscale frame (raw bytes) on stdin and prints the sketch's 96x96 int8 model input.
#include <cstdio>

#include "camera_crop.h"
#include "model_settings.h"

int main() {
  static uint8_t frame[kFrameBytes];
  static int8_t input[kImageBytes];
  if (std::fread(frame, 1, kFrameBytes, stdin) != static_cast<size_t>(kFrameBytes)) return 1;
  FrameToModelInput(frame, input);
  for (int i = 0; i < kImageBytes; ++i) std::printf("%d\n", input[i]);
  return 0;
}
