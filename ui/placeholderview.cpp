#include "placeholderview.h"
