#include "historymodel.h"
