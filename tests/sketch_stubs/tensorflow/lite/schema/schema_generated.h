#pragma once
#define TFLITE_SCHEMA_VERSION 3
namespace tflite {
struct Model { unsigned version() const; };
const Model* GetModel(const void* buffer);
}  // namespace tflite
