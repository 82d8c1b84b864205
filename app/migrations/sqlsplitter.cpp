#include "sqlsplitter.h"
