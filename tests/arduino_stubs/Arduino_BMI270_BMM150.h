#pragma once
// Declarations of the Arduino_BMI270_BMM150 library API used by the capture sketch (Nano 33 BLE Sense Rev2).
class BoschSensorClass {
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
extern BoschSensorClass IMU;
