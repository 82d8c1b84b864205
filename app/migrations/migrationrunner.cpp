#include "migrationrunner.h"
