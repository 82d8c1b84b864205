#include "keysetquery.h"
