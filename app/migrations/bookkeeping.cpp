#include "bookkeeping.h"
