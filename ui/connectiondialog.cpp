#include "connectiondialog.h"
