#include "camera_crop.h"

#include "model_settings.h"

namespace {

constexpr int kWeights[2][3] = {{2, 1, 0}, {0, 1, 2}};
constexpr int kLeft = (kFrameWidth - kFrameHeight) / 2;
static_assert(kFrameHeight * 2 == kImageSize * 3, "the frame height must be 3/2 of the model image");

}  // namespace

void FrameToModelInput(const uint8_t* frame, int8_t* input) {
  for (int bi = 0; bi < kImageSize / 2; ++bi) {
    for (int bj = 0; bj < kImageSize / 2; ++bj) {
      const uint8_t* block = frame + (bi * 3) * kFrameWidth + kLeft + bj * 3;
      for (int a = 0; a < 2; ++a) {
        for (int b = 0; b < 2; ++b) {
          int sum = 0;
          for (int r = 0; r < 3; ++r) {
            for (int c = 0; c < 3; ++c) {
              sum += kWeights[a][r] * kWeights[b][c] * block[r * kFrameWidth + c];
            }
          }
          const int pixel = (sum + 4) / 9;
          input[(bi * 2 + a) * kImageSize + bj * 2 + b] = static_cast<int8_t>(pixel - 128);
        }
      }
    }
  }
}
