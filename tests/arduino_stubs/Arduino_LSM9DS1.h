#pragma once
// Declarations of the Arduino_LSM9DS1 library API used by the capture sketch (original Nano 33 BLE Sense).
class LSM9DS1Class {
 public:
  int begin();
  void end();
  int readAcceleration(float& x, float& y, float& z);  // g
  int accelerationAvailable();
  float accelerationSampleRate();
  int readGyroscope(float& x, float& y, float& z);  // degrees/second
  int gyroscopeAvailable();
  float gyroscopeSampleRate();
};
extern LSM9DS1Class IMU;
