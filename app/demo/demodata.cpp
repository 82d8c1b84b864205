#include "demodata.h"
