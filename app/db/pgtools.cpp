#include "pgtools.h"
