#pragma once
#include "tensorflow/lite/c_types_stub.h"
namespace tflite {
class MicroOpResolver {};
template <unsigned int tOpCount>
class MicroMutableOpResolver : public MicroOpResolver {
 public:
#include "op_resolver_methods_stub.inc"
};
}  // namespace tflite
