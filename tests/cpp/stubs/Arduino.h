#pragma once
#include <cstddef>
#include <cstdint>
#include <cmath>
#define HIGH 1
#define LOW 0
#define OUTPUT 1
#define INPUT 0
enum { LEDR = 22, LEDG = 23, LEDB = 24, LED_BUILTIN = 13, LED_PWR = 25 };
void pinMode(int pin, int mode);
void digitalWrite(int pin, int value);
void analogWrite(int pin, int value);
unsigned long millis();
unsigned long micros();
void delay(unsigned long ms);
class HardwareSerialStub {
 public:
  void begin(unsigned long baud);
  operator bool() const;
  int available();
  int read();
  size_t print(const char* s);
  size_t print(int v);
  size_t print(float v, int digits = 2);
  size_t println(const char* s = "");
  size_t println(int v);
  size_t println(float v, int digits = 2);
  size_t write(const uint8_t* data, size_t n);
  void flush();
};
extern HardwareSerialStub Serial;
