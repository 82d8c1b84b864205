#include "connectionprobe.h"
