#include "cliapp.h"
