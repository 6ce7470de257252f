// The camera path: a 176x144 grayscale frame -> the 96x96 int8 model input, exactly as in training.

#ifndef CAMERA_CROP_H_
#define CAMERA_CROP_H_

#include <cstdint>

// Keeps the frame's central square (kFrameHeight x kFrameHeight) and shrinks it by 2/3 with area weights: each
// 3x3 block of pixels becomes 2x2 pixels, weights [2 1 0] and [0 1 2] per axis, sum 9, rounded. The result is
// written as int8 (pixel - 128), row by row, into `input` (kImageSize * kImageSize values).
void FrameToModelInput(const uint8_t* frame, int8_t* input);

#endif  // CAMERA_CROP_H_
