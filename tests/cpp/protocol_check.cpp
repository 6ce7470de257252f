// Runs the capture sketches' protocol code on the computer: prints lines built with tinyml::LineBuilder and
// the commands tinyml::CommandReader parses, for test_capture_sketch.py to check with the Python parser.
#include <cstdio>
#include <cstring>

#include "tinyml_protocol.h"

namespace {

void Print(tinyml::LineBuilder& line) {
  size_t length = 0;
  const char* text = line.Finish(&length);
  fwrite(text, 1, length, stdout);
}

}  // namespace

int main() {
  tinyml::LineBuilder line;
  line.Reset().Text("#tinyml v").Uint(tinyml::kProtocolVersion).Text(" sensor=imu rate_hz=").Fixed(99.84f, 2);
  line.Text(" axes=ax,ay,az,gx,gy,gz units=g,g,g,dps,dps,dps encoding=csv board=test");
  Print(line);
  const float rows[][7] = {
      {0.0f, 0.0213f, -0.5012f, 0.8611f, 1.22f, -0.43f, 0.31f},
      {10.04f, -0.00001f, 1.99995f, -3.99999f, 1999.9999f, -2000.0f, 0.00005f},
      {29999.96f, 123.45678f, -0.06f, 0.5f, -0.5f, 7.0f, -7.25f},
  };
  for (const auto& row : rows) {
    line.Reset().Fixed(row[0], 1);
    for (int i = 1; i < 7; ++i) line.Char(',').Fixed(row[i], 4);
    Print(line);
  }
  const int16_t samples[] = {0, 1, -1, 32767, -32768, 12345};
  for (size_t n = 6; n >= 4; --n) {  // 12, 10 and 8 bytes: no, one and two '=' of padding
    line.Reset().Uint(static_cast<uint32_t>(6 - n)).Char(',');
    line.Base64(reinterpret_cast<const uint8_t*>(samples), n * 2);
    Print(line);
  }
  line.Reset().Text("#end id=").Uint(4294967295u).Text(" n=").Uint(0);
  Print(line);
  const char* inputs[] = {"?", "r 1500", "r 1500 yes", "r 250 my-word_2", "r 1500 y s", "r", "x", "r 99999999",
                          "r 12a", "r 10 bad!"};
  for (const char* input : inputs) {
    tinyml::CommandReader reader;
    tinyml::Command command;
    bool done = false;
    for (const char* c = input; *c != '\0'; ++c) done = reader.Feed(*c, &command) || done;
    done = reader.Feed('\n', &command) || done;
    if (done) {
      printf("command %s -> %d %u '%s'\n", input, static_cast<int>(command.kind), static_cast<unsigned>(command.ms),
             command.label);
    } else {
      printf("command %s -> ignored\n", input);
    }
  }
  return 0;
}
