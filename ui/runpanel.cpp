#include "runpanel.h"
