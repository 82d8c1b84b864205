#include "scriptwriter.h"
