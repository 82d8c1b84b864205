#include "migrationscript.h"
