#include "pgconnection.h"
