#include "revisiongraph.h"
