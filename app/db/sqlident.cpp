#include "sqlident.h"
