#pragma once
// Declarations of the Arduino_OV767X camera library used by the person-detection sketch.
enum { VGA = 0, CIF = 1, QVGA = 2, QCIF = 3, QQVGA = 4 };
enum { YUV422 = 0, RGB444 = 1, RGB565 = 2, GRAYSCALE = 4 };
enum { OV7670 = 0, OV7675 = 1 };
class OV767X {
 public:
  int begin(int resolution, int format, int fps, int camera = OV7670);
  void readFrame(void* buffer);
};
extern OV767X Camera;
