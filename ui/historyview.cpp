#include "historyview.h"
