#include "pgfixture.h"
