// Stand-in for the TFLM interpreter API used by the generated sketches (Arduino_TensorFlowLite 2.4+).
#pragma once
#include <cstddef>
#include <cstdint>
#include "tensorflow/lite/schema/schema_generated.h"
enum TfLiteStatus { kTfLiteOk = 0, kTfLiteError = 1 };
enum TfLiteType { kTfLiteFloat32 = 1, kTfLiteInt8 = 9 };
union TfLitePtrUnion { int8_t* int8; float* f; };
struct TfLiteTensor { TfLiteType type; TfLitePtrUnion data; size_t bytes; };
namespace tflite {
class MicroOpResolver {};
class MicroInterpreter {
 public:
  MicroInterpreter(const Model* model, const MicroOpResolver& resolver, uint8_t* arena, size_t arena_size);
  TfLiteStatus AllocateTensors();
  TfLiteStatus Invoke();
  TfLiteTensor* input(size_t index);
  TfLiteTensor* output(size_t index);
  size_t arena_used_bytes() const;
};
}  // namespace tflite
