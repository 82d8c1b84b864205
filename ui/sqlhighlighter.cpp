#include "sqlhighlighter.h"
