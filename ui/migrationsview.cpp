#include "migrationsview.h"
