#include "plandialog.h"
