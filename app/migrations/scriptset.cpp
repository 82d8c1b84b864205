#include "scriptset.h"
