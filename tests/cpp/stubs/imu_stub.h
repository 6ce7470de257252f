// Stand-in for the IMU object of the Arduino_BMI270_BMM150 and Arduino_LSM9DS1 libraries (same API).
#pragma once
struct ImuStub {
  int begin();
  int accelerationAvailable();
  int gyroscopeAvailable();
  int readAcceleration(float& x, float& y, float& z);
  int readGyroscope(float& x, float& y, float& z);
  float gyroscopeSampleRate();
  float accelerationSampleRate();
};
extern ImuStub IMU;
