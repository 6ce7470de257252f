#pragma once
#include "tensorflow/lite/micro/micro_interpreter.h"
namespace tflite {
template <unsigned N>
class MicroMutableOpResolver : public MicroOpResolver {
 public:
  TfLiteStatus AddConv2D();
  TfLiteStatus AddDepthwiseConv2D();
  TfLiteStatus AddFullyConnected();
  TfLiteStatus AddMean();
  TfLiteStatus AddReshape();
  TfLiteStatus AddSoftmax();
};
}  // namespace tflite
