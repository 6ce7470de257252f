#pragma once
#include "imu_stub.h"
