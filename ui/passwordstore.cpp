#include "passwordstore.h"
