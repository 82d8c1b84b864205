#include "connectionsettings.h"
